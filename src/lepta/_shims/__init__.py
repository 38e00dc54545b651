"""Modules loaded only into MicroPython, standing in for standard ones it lacks."""
