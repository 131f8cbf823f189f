"""The browser side of a live message: the projector's fit and the avatars' motion (see
__main__.py)."""
