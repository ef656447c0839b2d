"""Where should N new points of a kind go? Maximal covering, greedy and exact.

The maximal covering location problem (Church & ReVelle, 1974): choose at most N
sites among candidate communities to maximise the registered residents of
currently *uncovered* communities that come within the circle's walking time of
a new site.

* **Greedy** adds, N times, the candidate that newly covers the most residents.
  Coverage is a monotone submodular function, so greedy reaches at least
  (1 − 1/e) ≈ 63.2 % of the optimum (Nemhauser, Wolsey & Fisher, 1978); in
  practice it is usually much closer.
* **Exact**: the integer programme
  max Σᵢ wᵢ yᵢ  s.t.  yᵢ ≤ Σ_{j ∈ Nᵢ} xⱼ,  Σⱼ xⱼ ≤ N,  xⱼ ∈ {0, 1},  0 ≤ yᵢ ≤ 1,
  solved by HiGHS (``highspy``) within ``SIHAI_PLACEMENT_TIME_LIMIT_S``; if the
  limit stops it, the best solution found and HiGHS's bound are reported.

Only candidates that reach at least one uncovered resident enter the model.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass

import highspy
import numpy as np
from django.conf import settings
from django.utils.translation import gettext as _

from sihai.core.errors import InvalidInput
from sihai.directory.coverage import Community, coverage, distance_matrix
from sihai.directory.geo import WalkModel, walk_model
from sihai.directory.selectors import validate_kind

MAX_BUDGET = 50


@dataclass(frozen=True)
class Solution:
    method: str
    sites: list[Community]
    covered_residents: int
    seconds: float
    # Exact only: HiGHS's model status, its proven upper bound and whether it proved optimality.
    status: str = ""
    bound: float | None = None
    optimal: bool = True


@dataclass(frozen=True)
class Placement:
    kind: str
    budget: int
    reach_m: float
    threshold_minutes: float
    model: WalkModel
    already_covered: int
    uncovered: int
    candidates: int
    greedy: Solution
    exact: Solution

    @property
    def gap(self) -> float | None:
        """How far greedy falls short of the exact solution, as a share of the exact one."""
        if not self.exact.covered_residents:
            return None
        return (
            self.exact.covered_residents - self.greedy.covered_residents
        ) / self.exact.covered_residents

    @property
    def gap_percent(self) -> float | None:
        return None if self.gap is None else self.gap * 100


def _greedy(cover: np.ndarray, weights: np.ndarray, budget: int) -> list[int]:
    remaining = weights.astype(float).copy()
    chosen: list[int] = []
    for _step in range(min(budget, cover.shape[0])):
        gains = cover @ remaining
        best = int(np.argmax(gains))
        if gains[best] <= 0:
            break
        chosen.append(best)
        remaining[cover[best]] = 0.0
    return chosen


def _exact(
    cover: np.ndarray, weights: np.ndarray, budget: int, time_limit: float
) -> tuple[list[int], str, float | None, bool]:
    """Solve the MCLP with HiGHS: columns are x (sites, binary) then y (demands, [0, 1])."""
    sites, demands = cover.shape
    # highspy leaves its constructor unannotated.
    h = highspy.Highs()  # type: ignore[no-untyped-call]
    h.setOptionValue("output_flag", False)
    h.setOptionValue("time_limit", float(time_limit))
    h.setOptionValue("mip_rel_gap", 0.0)
    h.setOptionValue("threads", 1)
    lp = highspy.HighsLp()
    lp.num_col_ = sites + demands
    lp.num_row_ = demands + 1
    lp.sense_ = highspy.ObjSense.kMaximize
    lp.col_cost_ = np.concatenate([np.zeros(sites), weights.astype(float)])
    lp.col_lower_ = np.zeros(sites + demands)
    lp.col_upper_ = np.ones(sites + demands)
    # Rows 0..demands-1: y_i - Σ_j cover[j, i] x_j ≤ 0; row `demands`: Σ_j x_j ≤ budget.
    lp.row_lower_ = np.full(demands + 1, -highspy.kHighsInf)
    lp.row_upper_ = np.concatenate([np.zeros(demands), [float(budget)]])
    starts, indices, values = [0], [], []
    for j in range(sites):
        rows = np.flatnonzero(cover[j])
        indices.extend(rows.tolist())
        values.extend([-1.0] * len(rows))
        indices.append(demands)
        values.append(1.0)
        starts.append(len(indices))
    for i in range(demands):
        indices.append(i)
        values.append(1.0)
        starts.append(len(indices))
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_ = np.array(starts, dtype=np.int32)
    lp.a_matrix_.index_ = np.array(indices, dtype=np.int32)
    lp.a_matrix_.value_ = np.array(values, dtype=float)
    lp.integrality_ = [highspy.HighsVarType.kInteger] * sites + [
        highspy.HighsVarType.kContinuous
    ] * demands
    h.passModel(lp)
    h.run()
    status = h.getModelStatus()
    info = h.getInfo()
    solution = np.array(h.getSolution().col_value[:sites]) if sites else np.array([])
    chosen = [int(j) for j in np.flatnonzero(solution > 0.5)]
    bound = float(info.mip_dual_bound) if np.isfinite(info.mip_dual_bound) else None
    return chosen, h.modelStatusToString(status), bound, status == highspy.HighsModelStatus.kOptimal


def placement(
    *,
    kind: str,
    budget: int,
    roots: Sequence[str],
    time_limit: float | None = None,
    model: WalkModel | None = None,
) -> Placement:
    """Propose ``budget`` new points of ``kind`` among the communities under ``roots``."""
    validate_kind(kind)
    if not (1 <= budget <= MAX_BUDGET):
        raise InvalidInput(
            _("Propose 1 to %(n)d new points.") % {"n": MAX_BUDGET}, code="placement.budget"
        )
    model = model or walk_model()
    limit = float(time_limit if time_limit is not None else settings.SIHAI_PLACEMENT_TIME_LIMIT_S)
    report = coverage(roots=roots, kinds=[kind], model=model)
    rows = report.kinds[kind].rows
    candidates = report.communities
    demand = [r.community for r in rows if not r.covered and r.community.residents > 0]
    already = sum(r.community.residents for r in rows if r.covered)
    weights = np.array([c.residents for c in demand], dtype=float)
    at = np.array([[c.latitude, c.longitude] for c in candidates], dtype=float).reshape(-1, 2)
    to = np.array([[c.latitude, c.longitude] for c in demand], dtype=float).reshape(-1, 2)
    cover_all = distance_matrix(at, to) <= report.reach_m
    useful = np.flatnonzero(cover_all.any(axis=1)) if demand else np.array([], dtype=int)
    cover = cover_all[useful]

    def covered_by(chosen: list[int]) -> int:
        if not chosen:
            return 0
        return int(weights[cover[chosen].any(axis=0)].sum())

    started = time.perf_counter()
    greedy_sites = _greedy(cover, weights, budget) if len(useful) else []
    greedy_seconds = time.perf_counter() - started
    started = time.perf_counter()
    if len(useful):
        exact_sites, status, bound, optimal = _exact(cover, weights, budget, limit)
    else:
        exact_sites, status, bound, optimal = [], "Optimal", 0.0, True
    exact_seconds = time.perf_counter() - started
    return Placement(
        kind=kind,
        budget=budget,
        reach_m=report.reach_m,
        threshold_minutes=report.threshold_minutes,
        model=model,
        already_covered=already,
        uncovered=int(weights.sum()),
        candidates=len(useful),
        greedy=Solution(
            "greedy",
            [candidates[int(useful[j])] for j in greedy_sites],
            covered_by(greedy_sites),
            greedy_seconds,
        ),
        exact=Solution(
            "exact",
            [candidates[int(useful[j])] for j in exact_sites],
            covered_by(exact_sites),
            exact_seconds,
            status=status,
            bound=bound,
            optimal=optimal,
        ),
    )
