"""Essaim: the free platform of territorial networks of the social and solidarity economy."""
