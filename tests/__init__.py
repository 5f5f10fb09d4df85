"""Tests for Zero Cold Water."""
