"""Configuration the Checker page shows for users to copy."""
