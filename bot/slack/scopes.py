"""The OAuth scopes the code needs, from the Web API methods it calls and what it subscribes to.

The manifest test checks this table against the code (every method called is here)
and against manifest.yml (exactly these bot scopes).
"""

from __future__ import annotations

# Web API method -> the bot scopes our use of it needs (Slack's method reference).
METHOD_SCOPES: dict[str, tuple[str, ...]] = {
    "auth.test": (),
    "oauth.v2.access": (),
    "apps.connections.open": (),  # app-level token (connections:write), not a bot scope
    "chat.postMessage": ("chat:write",),
    "chat.update": ("chat:write",),
    "conversations.open": ("im:write",),
    # the SDK's upload v2: files.getUploadURLExternal and files.completeUploadExternal
    "files.upload.v2": ("files:write",),
    "conversations.history": ("im:history",),
    # `digest here`: is the bot in the manager's channel, public or private?
    # (only ever on the bot's direct messages)
    "conversations.info": ("channels:read", "groups:read"),
    "users.info": ("users:read", "users:read.email"),  # we read the profile's email
    "users.lookupByEmail": ("users:read", "users:read.email"),
    "views.publish": (),
    "views.open": (),
}
# Bot event -> the scope that subscribing to it needs.
EVENT_SCOPES: dict[str, tuple[str, ...]] = {
    "message.im": ("im:history",),
    "app_home_opened": (),
    "app_uninstalled": (),
    "tokens_revoked": (),
}
COMMAND_SCOPE = "commands"

BOT_SCOPES: tuple[str, ...] = tuple(
    sorted(
        {scope for scopes in METHOD_SCOPES.values() for scope in scopes}
        | {scope for scopes in EVENT_SCOPES.values() for scope in scopes}
        | {COMMAND_SCOPE}
    )
)
