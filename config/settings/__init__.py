"""Settings by environment: base (shared), local, demo, test, production."""
