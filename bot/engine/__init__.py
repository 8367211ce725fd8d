"""The channel-neutral conversation: an incoming message becomes replies in the outbox.

It knows no feature: features (bot/checkins/, bot/briefings/, bot/managers/...) declare
their commands, button actions, slow preparers, follow-ups, fallbacks and ticks as a
`Feature`, and the engine routes to them.
"""
