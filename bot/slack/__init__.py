"""The Slack transport: Bolt's AsyncApp, Block Kit, the outbox sender, App Home, OAuth.

Every slack_bolt and slack_sdk import of the project lives in this package, and
nothing here is imported unless Slack is configured.
"""
