"""Microsoft Teams: Bot Framework handler, Adaptive Card rendering, proactive sends.

Every botbuilder import lives in this folder (a test checks), behind the same
neutral message types the console and Slack use.
"""
