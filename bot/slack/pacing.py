"""About one message per second per channel, as Slack asks of chat.postMessage.

A sliding window: at most `burst` posts to a channel in any `burst × interval`
seconds. A post that does not fit is not slept on (that would hold the outbox lease):
the sender answers RetryLater with the wait, and delivery comes back for it.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field

IDLE_SWEEP = 1000  # channels remembered before idle ones are forgotten


@dataclass
class ChannelPacer:
    """Per-channel send budget; `now` is a monotonic clock in seconds."""

    now: Callable[[], float]
    interval: float = 1.0
    burst: int = 3
    _sent: dict[str, deque[float]] = field(default_factory=dict, repr=False)

    @property
    def window(self) -> float:
        return self.interval * self.burst

    def reserve(self, channel: str) -> float:
        """0 and the post is counted, or how many seconds to wait before trying again."""
        now = self.now()
        if len(self._sent) > IDLE_SWEEP:
            self._forget_idle(now)
        sent = self._sent.setdefault(channel, deque())
        while sent and sent[0] <= now - self.window:
            sent.popleft()
        if len(sent) < self.burst:
            sent.append(now)
            return 0.0
        return sent[0] + self.window - now

    def _forget_idle(self, now: float) -> None:
        idle = [
            channel
            for channel, sent in self._sent.items()
            if not sent or sent[-1] <= now - self.window
        ]
        for channel in idle:
            del self._sent[channel]
