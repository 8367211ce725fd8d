"""Managers: the risk scan and its warnings, weekly digests, manager commands and channels."""
