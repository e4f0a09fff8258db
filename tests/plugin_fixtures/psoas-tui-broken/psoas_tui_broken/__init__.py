"""Test fixture: broken plugins, installed as a real distribution by the install test."""
