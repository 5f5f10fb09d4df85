"""The fault matrix of docs/safety.md: every row a test with a real hass."""
