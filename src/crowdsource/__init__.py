"""Crowdsource: self-hosted real-time classroom polls."""

__version__ = "0.1.0"
