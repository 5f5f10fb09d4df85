"""The strategy benchmark: every control strategy on the same homes and the same days of use."""
