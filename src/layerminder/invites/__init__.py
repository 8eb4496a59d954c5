"""Invite codes: admins create them; invite-only sign-up redeems them."""
