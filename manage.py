#!/usr/bin/env python
"""Django's manage.py, kept for tools that expect it; `sihai` is the same thing."""

from sihai.cli import main

if __name__ == "__main__":
    main()
