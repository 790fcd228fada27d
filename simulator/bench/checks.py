"""The checks of the frontier comparison, shared by report.py (the held-out report) and
frontier-candidate (a setting on the tuning draws): where one controller's curve lies against
another's points."""
import csv

OURS, KEDA, SEED, CDK = "queue-scaler", "KEDA + HPA", "sqs-fargate-poller alarm", \
    "CDK QueueProcessingFargateService steps"
OUR_DEFAULT, KEDA_DEFAULT = 100, 5  # backlog-per-task's SSM default; KEDA's queueLength default


def read_frontier(path):
    """frontier.csv as {seed: {system: [(target or None, p99, task-min, actions, ratio)]}}"""
    draws = {}
    for r in csv.DictReader(open(path)):
        points = draws.setdefault(r["seed"], {}).setdefault(r["system"], [])
        points.append((int(r["target"]) if r["target"] else None, float(r["p99AgeSeconds"]),
                       float(r["taskMinutes"]), int(r["scalingActions"]), float(r["costRatio"])))
    return draws


def envelope(points):
    """The curve's lower-left frontier, by task-minutes: (task-min, p99) pairs, p99 falling."""
    front = []
    for _, p99, tm, _, _ in sorted(points, key=lambda p: (p[2], p[1])):
        if not front or p99 < front[-1][1]:
            front.append((tm, p99))
    return front


def p99_at(front, tm):
    """Our p99 at a task-minute figure, linear between the frontier's points; None when every
    point of ours costs more."""
    if tm < front[0][0]:
        return None
    for (x0, y0), (x1, y1) in zip(front, front[1:]):
        if x0 <= tm <= x1:
            return y0 + (y1 - y0) * (tm - x0) / (x1 - x0) if x1 > x0 else min(y0, y1)
    return front[-1][1]


def tm_at(front, p99):
    """Our task-minutes at a p99 figure: the cheapest point on the frontier at that age or below."""
    if front[-1][1] > p99:
        return None
    for (x0, y0), (x1, y1) in zip(front, front[1:]):
        if y0 >= p99 >= y1:
            return x0 + (x1 - x0) * (y0 - p99) / (y0 - y1) if y0 > y1 else x0
    return front[0][0]


def ahead_of_keda(draw, margin):
    """At every KEDA target's task-minutes, our p99 at most (1 - margin) x KEDA's."""
    front = envelope(draw[OURS])
    worst = 0
    for _, p99, tm, _, _ in draw[KEDA]:
        ours = p99_at(front, tm)
        if ours is None or ours > (1 - margin) * p99:
            worst += 1
    return worst == 0, worst


def at_default(points, target):
    return next(p for p in points if p[0] == target)


def keda_points_better_on_both(draw):
    """KEDA's points at its default queueLength and at ours that beat ours at its default on both
    p99 and task-minutes: [(queueLength, point)]."""
    ours = at_default(draw[OURS], OUR_DEFAULT)
    return [(q, keda) for q in (KEDA_DEFAULT, OUR_DEFAULT)
            for keda in [at_default(draw[KEDA], q)]
            if keda[1] < ours[1] and keda[2] < ours[2]]


def keda_better_on_both(draw):
    return bool(keda_points_better_on_both(draw))


def a_third(draw, other):
    """Their point above our curve: at their task-minutes our p99 at most a third of theirs, or at
    their p99 our task-minutes at most a third (p99 within 5 s counts as equal)."""
    front = envelope(draw[OURS])
    _, p99, tm, _, _ = draw[other][0]
    ours_p99 = p99_at(front, tm)
    if ours_p99 is not None and ours_p99 <= p99 / 3 + 5:
        return True
    ours_tm = tm_at(front, p99 + 5)
    return ours_tm is not None and ours_tm <= tm / 3
