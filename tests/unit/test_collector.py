"""collector_paused(): the cyclic collector waits inside, and comes back as it was."""

import gc
import threading

from bot.infra.collector import collector_paused


def test_the_collector_is_paused_inside_and_resumes_after_the_last_block() -> None:
    assert gc.isenabled()
    with collector_paused():
        assert not gc.isenabled()
        with collector_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()


def test_a_collector_that_was_off_stays_off() -> None:
    gc.disable()
    try:
        with collector_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_blocks_overlapping_across_threads_resume_when_the_last_leaves() -> None:
    inside, release = threading.Event(), threading.Event()

    def other_job() -> None:
        with collector_paused():
            inside.set()
            release.wait(timeout=10)

    thread = threading.Thread(target=other_job)
    with collector_paused():
        thread.start()
        inside.wait(timeout=10)
    assert not gc.isenabled()  # the other thread's block is still running
    release.set()
    thread.join(timeout=10)
    assert gc.isenabled()


def test_an_error_inside_still_resumes_the_collector() -> None:
    try:
        with collector_paused():
            raise ValueError("boom")
    except ValueError:
        pass
    assert gc.isenabled()
