#!/usr/bin/env python3
"""Splits a perf profile of a server into where its CPU went, by what each sampled stack was doing.

    perf script -i FILE.perf.data -F comm,ip,sym,dso | bench/profile_breakdown.py

A sample belongs to the first category whose rule matches its stack (leaf first), so the table adds up
to 100 %. Spinning and waiting threads come first: the thread pool spins while it has spare cores, so
that time grows with idle CPU rather than with the work, and the other categories are the work.
"""
import collections
import sys

# (category, where to look, substrings); "leaf" looks at the innermost frame, "stack" at every frame.
RULES = [
    ("spinning or waiting for work", "leaf", ["LowLevelSpinWaiter", "LowLevelLifoSemaphore", "SpinWait", "WaitHandle",
                                            "Monitor::Wait", "ManualResetEventSlim::Wait"]),
    ("JIT compiler", "dso", ["libclrjit"]),
    ("socket writes: queue, WebSocket framing, Kestrel output, kernel send",
     "stack", ["OutboundQueue", "Yardstick+Session+<WriteAsync>", "SocketConnection+<DoSend>", "ManagedWebSocket::Send",
               # The user-space half of a kernel stack is often not unwound: send system calls count here.
               "__sys_sendto", "__sys_sendmsg"]),
    ("fan-out loop (one frame to every local socket)", "stack", ["GroupRelay", "Yardstick+Session::Publish"]),
    ("Orleans: grain calls, storage, streams, messaging", "stack", ["[Orleans.", "OrleansCodeGen"]),
    ("socket reads and request handling", "stack", ["SocketSession", "RequestHandler", "Yardstick+Session::Handle",
                                                    "Yardstick+Session+<RunAsync>", "DoReceive", "ManagedWebSocket::Receive",
                                                    "__sys_recvfrom", "__sys_recvmsg"]),
    ("timers", "stack", ["TimerQueue"]),
    ("kernel, other", "dso", ["kernel"]),
    ("runtime, other (GC, stubs, thread pool)", "any", []),
]


def samples(lines):
    frames = []
    for line in lines:
        line = line.rstrip("\n")
        if not line.strip():
            if frames:
                yield frames
            frames = []
        elif line.startswith(("\t", " ")):
            frames.append(line.strip())
    if frames:
        yield frames


def category(frames):
    for name, where, needles in RULES:
        if where == "any":
            return name
        texts = {"leaf": frames[:1], "dso": frames[:1], "stack": frames}[where]
        if any(needle in text for text in texts for needle in needles):
            return name
    return RULES[-1][0]


def main():
    counts = collections.Counter(category(frames) for frames in samples(sys.stdin))
    total = sum(counts.values()) or 1
    print(f"{total} samples")
    for name, _, _ in RULES:
        print(f"{100 * counts[name] / total:5.1f} %  {name}")


main()
