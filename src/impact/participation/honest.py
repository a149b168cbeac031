"""Robust confidence intervals for an event-study effect when parallel trends may fail, after
Rambachan & Roth (2023), "A More Credible Approach to Parallel Trends", *Review of Economic
Studies* 90(5), and written after R ``HonestDiD`` 0.2.8 so that its intervals are R's.

The effect is θ = l′τ_post, a weighted sum of the post-period effects; the event-study
coefficients are β = τ + δ, where δ is the difference in trends (zero before joining for
τ, so δ_pre = β_pre). What δ_post may be is restricted by a set Δ = {δ : Aδ ≤ d}:

- **relative magnitudes**, Δ^RM(M̄): no post-period change of δ exceeds M̄ times the
  largest pre-period change. Δ^RM is a union over where the largest pre-period change
  sits (s) and its sign; the interval is the union of one interval per (s, sign), each
  inverting Andrews, Roth & Pakes' (ARP) conditional test, or by default its hybrid with
  a least-favourable first stage ("C-LF", R's default);
- **smoothness**, Δ^SD(M): the slope of δ changes by at most M per period. By default
  the optimal fixed-length interval ("FLCI", R's default); ARP's conditional and C-LF
  intervals are offered too.

How the computation differs from R's, without changing a digit:

- The ARP statistic η(θ) is a linear programme whose dual feasible set, {γ ≥ 0 :
  σ′γ = 1, X′γ = 0}, depends on neither θ nor the simulated draws, so η is the maximum of
  γ′y over that set's vertices. The vertices are found once per (s, sign) by trying every
  basis (a few hundred for up to six post periods), and then the whole grid of θ and the
  1,000 draws of the least-favourable critical value are a few matrix products, where R
  solves two thousand linear programmes. The truncation points of the conditional test
  are the exact ends of the interval on which the optimal vertex stays optimal (R finds
  them from the binding constraints, or by bisection). Tests compare η with HiGHS
  (``scipy.optimize.linprog``) on random draws.
- The fixed-length interval's worst-case bias for a given standard deviation is a small
  second-order cone programme, solved with cvxpy (R uses CVXR with ECOS); the search over
  the standard deviation is R's derivative bisection.
- The two simulated quantities use R's own random numbers (:mod:`.r_random`).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from functools import lru_cache
from math import comb

import numpy as np
from scipy import optimize, special, stats

from ..errors import EstimationError
from .r_random import FoldedNormalQuantile, quantile7, rmvnorm

RELATIVE_MAGNITUDE = "relative_magnitude"
SMOOTHNESS = "smoothness"
#: The methods each restriction offers; the first is R's default.
METHODS = {RELATIVE_MAGNITUDE: ("C-LF", "conditional"), SMOOTHNESS: ("FLCI", "C-LF", "conditional")}
#: Above this many candidate bases per sub-problem the vertex enumeration is refused.
MAX_BASES = 200_000
LF_DRAWS = 1000  # R: sims = 1000 in .compute_least_favorable_cv
SEED = 0  # R HonestDiD's seed


# ------------------------------------------------------------------ restriction matrices


def relative_magnitude_matrix(n_pre: int, n_post: int, mbar: float, s: int, positive: bool):
    """R's ``.create_A_RM``: rows of Aδ ≤ 0 saying every change of δ is at most M̄ (1
    before joining) times the change from period s − 1 to s, with that change's sign."""
    n = n_pre + n_post
    changes = np.zeros((n, n + 1))
    for r in range(n):
        changes[r, r : r + 2] = (-1, 1)
    largest = np.zeros(n + 1)
    largest[n_pre + s - 1 : n_pre + s + 1] = (-1, 1)
    if not positive:
        largest = -largest
    bound = np.vstack([np.tile(largest, (n_pre, 1)), np.tile(mbar * largest, (n_post, 1))])
    matrix = np.vstack([changes - bound, -changes - bound])
    matrix = matrix[(matrix**2).sum(axis=1) > 1e-10]
    return np.delete(matrix, n_pre, axis=1)  # the reference period, δ_0 = 0


def smoothness_matrix(n_pre: int, n_post: int) -> np.ndarray:
    """R's ``.create_A_SD``: ± every second difference of δ (δ_0 = 0 dropped)."""
    n = n_pre + n_post
    second = np.zeros((n - 1, n + 1))
    for r in range(n - 1):
        second[r, r : r + 3] = (1, -2, 1)
    second = np.delete(second, n_pre, axis=1)
    return np.vstack([second, -second])


def post_rows(matrix: np.ndarray, n_pre: int) -> np.ndarray:
    """Rows that involve a post period (R's ``postPeriodMomentsOnly``)."""
    return np.flatnonzero((matrix[:, n_pre:] != 0).any(axis=1))


@lru_cache(maxsize=32)
def _completion_inverse(l_key: tuple[float, ...]) -> np.ndarray:
    """The inverse of :func:`_completion`, cached: the same l serves every (s, sign, M̄)."""
    inverse = np.linalg.inv(_completion(np.array(l_key)))
    inverse.setflags(write=False)
    return inverse


def _completion(l_vec: np.ndarray) -> np.ndarray:
    """An invertible matrix whose first row is l′ (R's ``.construct_Gamma``: l, then the
    leftmost unit vectors that keep the rows independent)."""
    rows = [l_vec]
    for j in range(len(l_vec)):
        unit = np.eye(len(l_vec))[j]
        if np.linalg.matrix_rank(np.vstack([*rows, unit])) > len(rows):
            rows.append(unit)
        if len(rows) == len(l_vec):
            break
    return np.vstack(rows)


# --------------------------------------------------------------------- the ARP test


def dual_vertices(sd: np.ndarray, nuisance: np.ndarray) -> np.ndarray:
    """Vertices of {γ ≥ 0 : sd′γ = 1, nuisance′γ = 0}, one per row: the dual feasible set
    of η = min over (η, δ) of η subject to y − Xδ ≤ sd·η (ARP's statistic), so that η(y)
    = max over vertices of γ′y. Every basis of k + 1 rows is tried; those giving γ ≥ 0
    are kept, without repeats."""
    m = len(sd)
    equations = np.column_stack([sd, nuisance])  # m × (k + 1)
    size = equations.shape[1]
    if comb(m, size) > MAX_BASES:
        raise EstimationError(
            f"the sensitivity analysis would try {comb(m, size):,} bases ({m} moments, "
            f"{size - 1} nuisance parameters); use fewer post periods (at most 8 or so)"
        )
    if np.linalg.matrix_rank(equations) < size:
        raise EstimationError(
            "the restriction leaves the nuisance parameters unidentified (rank-deficient "
            "moments); check l_vec and the number of periods"
        )
    bases = _bases(m, size)
    blocks = np.transpose(equations[bases], (0, 2, 1))  # W_B′, bases × (k+1) × (k+1)
    scale = np.abs(equations).max()
    det = np.linalg.det(blocks / scale)
    usable = np.abs(det) > 1e-10
    target = np.zeros(size)
    target[0] = 1
    right = np.broadcast_to(target[:, None], (int(usable.sum()), size, 1))
    solved = np.linalg.solve(blocks[usable], right)[..., 0]
    tolerance = 1e-9 * np.abs(solved).max(axis=1, keepdims=True)
    feasible = (solved >= -tolerance).all(axis=1)
    vertices = np.zeros((feasible.sum(), m))
    rows = np.repeat(np.arange(feasible.sum()), size)
    vertices[rows, bases[usable][feasible].ravel()] = np.maximum(solved[feasible], 0).ravel()
    if not len(vertices):
        return vertices
    rounded = np.round(vertices / np.abs(vertices).max(), 10)
    _, keep = np.unique(rounded, axis=0, return_index=True)
    return vertices[np.sort(keep)]


@lru_cache(maxsize=64)
def _bases(m: int, size: int) -> np.ndarray:
    bases = np.array(list(itertools.combinations(range(m), size)), dtype=np.intp)
    bases.setflags(write=False)
    return bases


def truncated_normal_quantile(p: float, low: np.ndarray, high: np.ndarray) -> np.ndarray:
    """The p quantile of the standard normal truncated to [low, high], vectorised:
    Φ⁻¹(Φ(low) + p·(Φ(high) − Φ(low))), computed in the lower tail (by symmetry when
    low > 0) so that nothing cancels (R uses ``TruncatedNormal::norminvp``)."""
    low, high = np.asarray(low, float), np.asarray(high, float)
    flip = low > 0
    a = np.where(flip, -high, low)
    b = np.where(flip, -low, high)
    q = np.where(flip, 1 - p, p)
    phi_a, phi_b = special.ndtr(a), special.ndtr(b)
    value = special.ndtri(phi_a + q * (phi_b - phi_a))
    return np.where(flip, -value, value)


@dataclass(frozen=True)
class _Moments:
    """E[y(θ) − Xδ] ≤ 0 under the null θ: y(θ) = Y − aθ on the rows the test uses."""

    y: np.ndarray  # Y = Aβ̂ − d on the test's rows
    slope: np.ndarray  # a, the change of the moments per unit of θ
    nuisance: np.ndarray  # X (m × k)
    variance: np.ndarray  # Var(Y) on the test's rows
    offset: np.ndarray  # d on the test's rows, normalised (for the no-nuisance floor)


def _moments(betahat, sigma, n_pre, matrix, bound, l_vec, rows) -> _Moments:
    post = matrix[:, n_pre:]
    along = post @ _completion_inverse(tuple(float(x) for x in l_vec))
    y = matrix @ betahat - bound
    variance = matrix @ sigma @ matrix.T
    rows = np.asarray(rows)
    sd = np.sqrt(np.diag(variance)[rows])
    return _Moments(
        y=y[rows],
        slope=along[rows, 0],
        nuisance=along[np.ix_(rows, np.arange(1, along.shape[1]))],
        variance=variance[np.ix_(rows, rows)],
        offset=bound[rows] / sd,
    )


def least_favourable_cv(moments: _Moments, vertices: np.ndarray, kappa: float) -> float:
    """The 1 − κ quantile of η under the least-favourable null (mean zero), from R's
    1,000 draws of ``rmvnorm`` after ``set.seed(0)``."""
    draws = rmvnorm(LF_DRAWS, moments.variance, SEED)
    return quantile7((vertices @ draws.T).max(axis=0), 1 - kappa)


def arp_accepts(
    moments: _Moments,
    thetas: np.ndarray,
    *,
    alpha: float,
    hybrid: bool,
    kappa: float,
) -> np.ndarray:
    """Whether ARP's conditional test (``hybrid=False``) or its least-favourable hybrid
    (``hybrid=True``, R's "C-LF") accepts each θ: R's ``.lp_conditional_test_fn`` and,
    without nuisance parameters, ``.testInIdentifiedSet`` / ``_LF_Hybrid``."""
    sd = np.sqrt(np.diag(moments.variance))
    vertices = dual_vertices(sd, moments.nuisance)
    if not len(vertices):  # η is unbounded below: R does not reject
        return np.ones(len(thetas), bool)
    no_nuisance = moments.nuisance.shape[1] == 0
    cv = least_favourable_cv(moments, vertices, kappa) if hybrid else np.inf
    size = (alpha - kappa) / (1 - kappa) if hybrid else alpha
    y = moments.y[:, None] - np.outer(moments.slope, thetas)  # m × grid
    values = vertices @ y
    best = values.argmax(axis=0)
    eta = values[best, np.arange(len(thetas))]
    gamma = vertices[best]  # grid × m, the optimal vertex at each θ
    spread = np.einsum("gi,ij,gj->g", gamma, moments.variance, gamma)
    direction = (moments.variance @ gamma.T) / spread  # b = Σγ / γ′Σγ, m × grid
    residual = y - direction * eta  # s = (I − bγ′) y
    numerator = vertices @ residual
    denominator = 1 - vertices @ direction
    tiny = 1e-10
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = numerator / denominator
    v_low = np.where(denominator > tiny, ratio, -np.inf).max(axis=0)
    v_up = np.where(denominator < -tiny, ratio, np.inf).min(axis=0)
    sd_b = np.sqrt(np.maximum(spread, 0))
    if hybrid and not no_nuisance:
        v_up = np.minimum(v_up, cv)
    with np.errstate(divide="ignore", invalid="ignore"):
        statistic, z_low, z_up = eta / sd_b, v_low / sd_b, v_up / sd_b
    inside = (z_low <= statistic) & (statistic <= z_up)
    floor = -moments.offset[best] if no_nuisance else np.zeros(len(thetas))
    critical = np.full(len(thetas), np.inf)
    if inside.any():
        quantile = truncated_normal_quantile(1 - size, z_low[inside], z_up[inside])
        critical[inside] = np.maximum(floor[inside], quantile)
    reject = inside & (statistic > critical)
    degenerate = spread < np.finfo(float).eps  # R: reject iff η > 0
    reject = np.where(degenerate, eta > 0, reject)
    if hybrid:
        reject |= eta > cv
    return ~reject


def theta_grid(low: float, high: float, points: int) -> np.ndarray:
    """R's ``seq(low, high, length.out = points)``."""
    step = (high - low) / (points - 1)
    return np.concatenate([[low], low + np.arange(1, points - 1) * step, [high]])


# ------------------------------------------------------------------- the two restrictions


def relative_magnitude_bounds(betahat, sigma, n_pre, n_post, l_vec, mbar) -> tuple[float, float]:
    """The θ grid's ends R HonestDiD used for its published README (and Stata
    ``honestdid`` and moderndid use): θ̂ ± (M̄ · Σ t·|l_t| · the largest pre-period change
    + 20 standard errors of θ̂), so the grid is centred on the estimate and widens with M̄.
    (R's source, ``computeConditionalCS_DeltaRM``, defaults to ±20 standard errors around
    0; pass those as ``bounds`` to reproduce it.)"""
    sd_theta = float(np.sqrt(l_vec @ sigma[n_pre:, n_pre:] @ l_vec))
    if n_pre > 1:
        largest = float(np.abs(np.diff(np.append(betahat[:n_pre], 0.0))).max())
    else:
        largest = float(abs(betahat[0]))
    centre = float(betahat[n_pre:] @ l_vec)
    half = mbar * float(np.arange(1, n_post + 1) @ np.abs(l_vec)) * largest + 20 * sd_theta
    return centre - half, centre + half


def relative_magnitude_interval(
    betahat, sigma, n_pre, n_post, l_vec, mbar, *, alpha, method, grid_points, bounds=None
) -> tuple[float, float, bool]:
    """R's ``computeConditionalCS_DeltaRM``: the union over s and sign of the ARP
    intervals on a grid of θ (``bounds``, default :func:`relative_magnitude_bounds`).
    Returns (low, high, whether the interval touches the grid's edge)."""
    kappa = alpha / 10
    if bounds is None:
        bounds = relative_magnitude_bounds(betahat, sigma, n_pre, n_post, l_vec, mbar)
    thetas = theta_grid(*bounds, grid_points)
    accepted = np.zeros(grid_points, bool)
    for s in range(-(n_pre - 1), 1):
        for positive in (True, False):
            matrix = relative_magnitude_matrix(n_pre, n_post, mbar, s, positive)
            bound = np.zeros(len(matrix))
            rows = post_rows(matrix, n_pre)
            if n_post == 1:  # R keeps only these rows, and tests without nuisance
                matrix, bound = matrix[rows], bound[rows]
                rows = np.arange(len(matrix))
            moments = _moments(betahat, sigma, n_pre, matrix, bound, l_vec, rows)
            accepted |= arp_accepts(
                moments, thetas, alpha=alpha, hybrid=method == "C-LF", kappa=kappa
            )
    return _ends(thetas, accepted)


def smoothness_identified_set(n_pre, n_post, l_vec, m) -> tuple[float, float]:
    """The identified set of θ under Δ^SD(M) when β = 0 (R's
    ``.compute_IDset_DeltaSD`` with ``trueBeta = 0``), by HiGHS."""
    matrix = smoothness_matrix(n_pre, n_post)
    objective = np.concatenate([np.zeros(n_pre), l_vec])
    equality = np.hstack([np.eye(n_pre), np.zeros((n_pre, n_post))])
    ends = []
    for sign in (1, -1):
        solution = optimize.linprog(
            sign * objective,
            A_ub=matrix,
            b_ub=np.full(len(matrix), m),
            A_eq=equality,
            b_eq=np.zeros(n_pre),
            bounds=(None, None),
            method="highs",
        )
        if solution.status != 0:
            raise EstimationError(f"the identified set under M = {m:g} could not be found")
        ends.append(sign * solution.fun)
    minimum, maximum = ends
    return -maximum, -minimum


def smoothness_conditional_interval(
    betahat, sigma, n_pre, n_post, l_vec, m, *, alpha, method, grid_points, bounds=None
) -> tuple[float, float, bool]:
    """R's ``computeConditionalCS_DeltaSD`` with ``hybrid_flag`` "ARP" or "LF", on a grid
    of θ from the identified set at β = 0 widened by 20 standard errors (or ``bounds``)."""
    matrix = smoothness_matrix(n_pre, n_post)
    bound = np.full(len(matrix), float(m))
    rows = post_rows(matrix, n_pre) if n_post > 1 else np.arange(len(matrix))
    if bounds is None:
        low, high = smoothness_identified_set(n_pre, n_post, l_vec, m)
        sd_theta = float(np.sqrt(l_vec @ sigma[n_pre:, n_pre:] @ l_vec))
        bounds = (low - 20 * sd_theta, high + 20 * sd_theta)
    thetas = theta_grid(*bounds, grid_points)
    moments = _moments(betahat, sigma, n_pre, matrix, bound, l_vec, rows)
    accepted = arp_accepts(moments, thetas, alpha=alpha, hybrid=method == "C-LF", kappa=alpha / 10)
    return _ends(thetas, accepted)


def _ends(thetas, accepted) -> tuple[float, float, bool]:
    if not accepted.any():
        return float("nan"), float("nan"), False
    chosen = thetas[accepted]
    return float(chosen.min()), float(chosen.max()), bool(accepted[0] or accepted[-1])


# ------------------------------------------------------------ the fixed-length interval


class FixedLengthInterval:
    """R's ``findOptimalFLCI`` for Δ^SD(M): the affine estimator v′β̂ whose interval
    v′β̂ ± χ has the shortest worst-case half-length χ = h·cv_α(M·b(h)/h), where b(h) is
    the smallest worst-case bias (per unit of M) among estimators with standard
    deviation h and cv_α(t) the 1 − α quantile of |N(t, 1)|.

    b(h) does not depend on M, so one object serves a whole grid of M: the cone
    programme is compiled once (cvxpy, h a parameter) and its solutions are kept."""

    def __init__(self, sigma, n_pre, n_post, l_vec, alpha):
        import cvxpy as cp

        self.n_pre, self.l_vec, self.alpha = n_pre, np.asarray(l_vec, float), alpha
        self.quantile = FoldedNormalQuantile()
        k = n_pre
        post_weights = np.arange(1, n_post + 1) @ self.l_vec
        # variance of the estimator as a function of the pre-period weights w (R's
        # .createMatricesForVarianceFromW): l_pre = D w with D the difference matrix
        to_l = np.eye(k) - np.eye(k, k=-1)
        pre, cross = sigma[:k, :k], sigma[:k, k:]
        self.quadratic = to_l.T @ pre @ to_l
        self.linear = 2 * to_l.T @ cross @ self.l_vec
        self.constant = float(self.l_vec @ sigma[k:, k:] @ self.l_vec)
        self.to_l = to_l
        self.bias_constant = sum(
            abs(np.arange(1, s + 1) @ self.l_vec[n_post - s :]) for s in range(1, n_post + 1)
        ) - float(post_weights)
        self.cumulative = np.tril(np.ones((k, k)))
        # R's .findHForMinimumBias: all weight on the last pre period
        w = np.zeros(k)
        w[-1] = post_weights
        self.h_max = float(np.sqrt(self._variance(w)))
        # the minimum-variance weights (R's .findLowestH) solve a linear system: the
        # absolute values only define U, so only sum(w) = Σ t·l_t constrains w
        system = np.block([[2 * self.quadratic, np.ones((k, 1))], [np.ones((1, k)), 0]])
        try:
            solution = np.linalg.solve(system, np.append(-self.linear, post_weights))
        except np.linalg.LinAlgError:
            raise EstimationError(
                "the pre-period covariance is singular: no fixed-length interval"
            ) from None
        self.w_min = solution[:k]
        self.h_min = float(np.sqrt(max(self._variance(self.w_min), 0)))
        # the cone programme, scaled so that the variance bound is of order one
        scale = self.h_max**2
        self.u, self.w = cp.Variable(k), cp.Variable(k)
        constraints = [self.cumulative @ self.w <= self.u, -self.cumulative @ self.w <= self.u]
        constraints.append(cp.sum(self.w) == post_weights)
        root = _psd_root(self.quadratic / scale)
        variance = (
            cp.sum_squares(root @ self.w) + (self.linear / scale) @ self.w + self.constant / scale
        )
        self.h_squared = cp.Parameter(nonneg=True)  # in units of h_max²
        self.bias_problem = cp.Problem(
            cp.Minimize(cp.sum(self.u)), [*constraints, variance <= self.h_squared]
        )
        self._cache: dict[float, tuple[float, np.ndarray]] = {}

    def _variance(self, w: np.ndarray) -> float:
        return float(w @ self.quadratic @ w + self.linear @ w + self.constant)

    def _bias_of(self, w: np.ndarray) -> float:
        return self.bias_constant + float(np.abs(self.cumulative @ w).sum())

    def bias(self, h: float) -> tuple[float, np.ndarray]:
        """Smallest worst-case bias per unit M at standard deviation h, and its w."""
        if h in self._cache:
            return self._cache[h]
        import cvxpy as cp

        if h < self.h_min * (1 - 1e-9):
            result = (np.inf, np.full(self.n_pre, np.nan))
        elif h <= self.h_min * (1 + 1e-9):
            # at (and within solver tolerance of) the smallest standard deviation the
            # feasible set is the minimum-variance estimator alone
            result = (self._bias_of(self.w_min), self.w_min)
        else:
            self.h_squared.value = h * h / self.h_max**2
            try:
                self.bias_problem.solve(solver=cp.CLARABEL)
            except cp.error.SolverError:
                self.bias_problem.solve(solver=cp.SCS, eps=1e-12, max_iters=200_000)
            if self.bias_problem.status not in ("optimal", "optimal_inaccurate"):
                result = (np.inf, np.full(self.n_pre, np.nan))
            else:
                w = np.asarray(self.w.value, float)
                result = (self._bias_of(w), w)
        self._cache[h] = result
        return result

    def half_length(self, h: float, m: float) -> float:
        bias, _ = self.bias(h)
        if not np.isfinite(bias):
            return float("nan")
        return self.quantile(1 - self.alpha, m * bias / h) * h

    def optimal_h(self, m: float, points: int = 100) -> float:
        """R's ``.findOptimalCIDerivativeBisection`` between the smallest standard
        deviation and that of the least-biased estimator; R's grid of 100 when it fails."""
        a, b = self.h_min, self.h_max
        step = min((b - a) / points, abs(b) * np.finfo(float).eps ** (1 / 3))
        f = lambda h: self.half_length(h, m)  # noqa: E731
        fa, fb = f(a), f(b)
        slope_a = (f(a + step) - fa) / step
        slope_b = (f(b - step) - fb) / -step
        tolerance = np.sqrt(np.finfo(float).eps)
        max_iterations = 10 * int(np.ceil(np.log(abs(b - a) / step) / np.log(2)))
        if slope_a > slope_b or np.isnan(fa) or np.isnan(fb):
            return self._grid_h(m, points)
        if slope_b < 0:
            return b
        if slope_a > 0:
            return a
        iteration = 1
        while abs(b - a) > step:
            iteration += 1
            x = (a + b) / 2
            slope = (f(x + step) - f(x - step)) / (2 * step)
            if slope > slope_b + tolerance or slope + tolerance < slope_a:
                return self._grid_h(m, points)
            if iteration > max_iterations:
                return self._grid_h(m, points)
            if slope > 0:
                b = x
            else:
                a = x
        return (a + b) / 2

    def _grid_h(self, m, points) -> float:
        grid = np.linspace(self.h_min, self.h_max, points)
        lengths = np.array([self.half_length(h, m) for h in grid])
        return float(grid[np.nanargmin(lengths)])

    def interval(self, betahat: np.ndarray, m: float) -> tuple[float, float]:
        h = self.optimal_h(m)
        bias, w = self.bias(h)
        if not np.isfinite(bias):
            raise EstimationError(f"the fixed-length interval at M = {m:g} has no solution")
        weights = np.concatenate([self.to_l @ w, self.l_vec])
        half = self.quantile(1 - self.alpha, m * bias / h) * h
        centre = float(weights @ betahat)
        return centre - half, centre + half


def _psd_root(matrix: np.ndarray) -> np.ndarray:
    values, vectors = np.linalg.eigh((matrix + matrix.T) / 2)
    return (vectors * np.sqrt(np.maximum(values, 0))) @ vectors.T


def smoothness_upper_bound(betahat, sigma, n_pre, alpha: float = 0.05) -> float:
    """R's ``DeltaSD_upperBound_Mpre``: the largest one-sided upper confidence bound of
    the pre-period second differences, the end of R's default grid of M."""
    matrix = smoothness_matrix(n_pre, 0)
    differences = matrix @ betahat[:n_pre]
    se = np.sqrt(np.diag(matrix @ sigma[:n_pre, :n_pre] @ matrix.T))
    return float((differences + stats.norm.ppf(1 - alpha) * se).max())
