"""The per-channel send budget."""

from bot.slack.pacing import ChannelPacer


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_a_burst_then_about_one_a_second() -> None:
    clock = Clock()
    pacer = ChannelPacer(clock, interval=1.0, burst=3)
    assert [pacer.reserve("D1") for _ in range(3)] == [0.0, 0.0, 0.0]
    assert pacer.reserve("D1") == 3.0  # the window is full until the first post leaves it
    clock.now += 3.0
    assert [pacer.reserve("D1") for _ in range(3)] == [0.0, 0.0, 0.0]
    clock.now += 1.0
    assert pacer.reserve("D1") == 2.0


def test_channels_have_their_own_budget() -> None:
    pacer = ChannelPacer(Clock(), interval=1.0, burst=1)
    assert pacer.reserve("D1") == 0.0
    assert pacer.reserve("D2") == 0.0
    assert pacer.reserve("D1") == 1.0


def test_a_refused_reservation_does_not_use_the_budget() -> None:
    clock = Clock()
    pacer = ChannelPacer(clock, interval=1.0, burst=1)
    pacer.reserve("D1")
    for _ in range(5):
        assert pacer.reserve("D1") == 1.0
    clock.now += 1.0
    assert pacer.reserve("D1") == 0.0


def test_idle_channels_are_forgotten() -> None:
    clock = Clock()
    pacer = ChannelPacer(clock, interval=1.0, burst=1)
    for number in range(1001):
        pacer.reserve(f"C{number}")
    clock.now += 5
    pacer.reserve("D1")
    assert list(pacer._sent) == ["D1"]
