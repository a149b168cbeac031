"""Small-sample cluster-robust variance for a log-link Poisson quasi-likelihood fit.

The bias-reduced linearisation ("CR2") of Bell & McCaffrey (2002), in the general form of
Pustejovsky & Tipton (2018, *J. Business & Economic Statistics* 36:672), with the
Satterthwaite degrees of freedom of each coefficient (Bell & McCaffrey 2002; Imbens &
Kolesár 2016, *REStat* 98:701). This is what R's ``clubSandwich::vcovCR(fit, cluster,
type = "CR2", target = ...)`` with ``coef_test(..., test = "Satterthwaite")`` computes for
a ``glm``; the working variance ("target") is a choice of the caller.

Notation: X (n × k) design, μ fitted means, e = y − μ, M = (X' diag(μ) X)⁻¹ the bread,
H = diag(μ) X M X' the (linearised) hat matrix so that e ≈ (I − H) ε, Φ = diag(φ) the
working variance of ε. For cluster g, with C_g = Φ_g^{-1/2} [(I − H) Φ (I − H)']_gg
Φ_g^{-1/2}, the adjustment A_g = Φ_g^{1/2} C_g^{-1/2} Φ_g^{-1/2} makes
E[A_g e_g e_g' A_g'] = Φ_g when the working variance is right, and

    V = M [Σ_g X_g' A_g e_g e_g' A_g' X_g] M.

Everything is computed cluster by cluster with k × k matrices (no n × n matrix), so a
fit with thousands of singleton clusters stays cheap.
"""

from __future__ import annotations

import numpy as np


def _inverse_sqrt(matrix: np.ndarray) -> np.ndarray:
    values, vectors = np.linalg.eigh(matrix)
    values = np.clip(values, 1e-12 * max(values.max(), 1e-300), None)
    return (vectors / np.sqrt(values)) @ vectors.T


def poisson_cr2(
    X: np.ndarray,
    y: np.ndarray,
    mu: np.ndarray,
    clusters: np.ndarray,
    *,
    variance_power: float = 2.0,
) -> tuple[np.ndarray, np.ndarray]:
    """CR2 covariance matrix (k × k) and Satterthwaite degrees of freedom (one per column
    of ``X``) of a log-link Poisson quasi-likelihood fit.

    ``clusters`` holds integer codes 0 … G−1 (each row its own code gives HC2).
    ``variance_power`` sets the working variance φ = μ^power: 1 is the Poisson variance,
    2 a constant coefficient of variation (multiplicative noise).
    """
    X = np.asarray(X, float)
    y = np.asarray(y, float)
    mu = np.asarray(mu, float)
    clusters = np.asarray(clusters)
    n, k = X.shape
    phi = mu**variance_power
    root = np.sqrt(phi)
    bread = np.linalg.pinv(X.T @ (X * mu[:, None]))  # statsmodels fits with pinv too
    spread = X.T @ (X * phi[:, None])  # X' Φ X
    residual = y - mu
    order = np.argsort(clusters, kind="stable")
    bounds = np.flatnonzero(np.diff(clusters[order])) + 1
    meat = np.zeros((k, k))
    count = len(bounds) + 1
    # per cluster and coefficient j: u_g = A_g' X_g M e_j (columns of U_g), and for the
    # degrees of freedom a_g = M X_g' Ω_g u_g, b_g = X_g' Φ_g u_g, d_g = u_g' Φ_g u_g
    a = np.zeros((count, k, k))
    b = np.zeros((count, k, k))
    d = np.zeros((count, k))
    for g, rows in enumerate(np.split(order, bounds)):
        Xg, mug, phig, rootg = X[rows], mu[rows], phi[rows], root[rows]
        lever = (mug[:, None] * Xg) @ bread @ Xg.T  # H_gg
        block = (
            np.diag(phig)
            - lever * phig[None, :]
            - phig[:, None] * lever.T
            + (mug[:, None] * Xg) @ bread @ spread @ bread @ (Xg.T * mug[None, :])
        )  # [(I − H) Φ (I − H)']_gg
        adjust = rootg[:, None] * _inverse_sqrt(block / np.outer(rootg, rootg)) / rootg[None, :]
        score = bread @ Xg.T @ (adjust @ residual[rows])  # M X_g' A_g e_g
        meat += np.outer(score, score)  # already sandwiched
        U = adjust.T @ Xg @ bread  # n_g × k
        a[g] = bread @ Xg.T @ (mug[:, None] * U)
        b[g] = Xg.T @ (phig[:, None] * U)
        d[g] = np.einsum("ij,i,ij->j", U, phig, U)
    # Satterthwaite: V_j = Σ_g (p_g' ε)², p_g = (I − H)_g' u_g; with Q = P' Φ P,
    # df = (tr Q)² / ‖Q‖²_F, where Q = diag(d) + W K W', W = [A B], K = [[S, −I], [−I, 0]].
    df = np.empty(k)
    kernel = np.block([[spread, -np.eye(k)], [-np.eye(k), np.zeros((k, k))]])
    for j in range(k):
        W = np.concatenate([a[:, :, j], b[:, :, j]], axis=1)  # G × 2k
        low_diag = np.einsum("gi,ij,gj->g", W, kernel, W)
        trace = d[:, j].sum() + low_diag.sum()
        WtW = W.T @ W
        product = WtW @ kernel
        frobenius = (
            (d[:, j] ** 2).sum() + 2 * (d[:, j] * low_diag).sum() + np.trace(product @ product)
        )
        df[j] = trace**2 / frobenius if frobenius > 0 else np.nan
    return meat, df
