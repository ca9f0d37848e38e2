/**
 * A Poisson GLM (log link) with an L2 (ridge) penalty on every coefficient but the intercept, fitted by Newton's
 * method (IRLS) with step halving. Columns are expected standardised, so one penalty suits them all.
 */

/** Bounds on the linear predictor: `exp` stays finite and a column of zeros cannot drive the intercept to −∞. */
const MIN_ETA = -30;
const MAX_ETA = 30;
const MAX_ITERATIONS = 100;
const MAX_HALVINGS = 30;
const TOLERANCE = 1e-8;
/** Keeps the Hessian positive definite when every weight is ~0 (an all-zero training window). */
const JITTER = 1e-9;

/** The design: `rows × cols` row-major, column 0 the intercept. */
export interface Design {
  readonly x: Float64Array;
  readonly rows: number;
  readonly cols: number;
}

function linearPredictor(design: Design, beta: Float64Array, eta: Float64Array): void {
  const { x, rows, cols } = design;
  for (let i = 0; i < rows; i++) {
    let sum = 0;
    for (let j = 0, at = i * cols; j < cols; j++, at++) sum += (x[at] ?? 0) * (beta[j] ?? 0);
    eta[i] = Math.min(MAX_ETA, Math.max(MIN_ETA, sum));
  }
}

function penalisedLogLikelihood(y: ArrayLike<number>, eta: Float64Array, beta: Float64Array, l2: number): number {
  let value = 0;
  for (let i = 0; i < eta.length; i++) value += (y[i] ?? 0) * (eta[i] ?? 0) - Math.exp(eta[i] ?? 0);
  for (let j = 1; j < beta.length; j++) value -= 0.5 * l2 * (beta[j] ?? 0) ** 2;
  return value;
}

/** Solves `A z = b` for a symmetric positive-definite `n × n` `A` by Cholesky (A is overwritten). */
function solveCholesky(a: Float64Array, b: Float64Array, n: number): Float64Array {
  for (let j = 0; j < n; j++) {
    let diagonal = a[j * n + j] ?? 0;
    for (let k = 0; k < j; k++) diagonal -= (a[j * n + k] ?? 0) ** 2;
    const root = Math.sqrt(Math.max(diagonal, JITTER));
    a[j * n + j] = root;
    for (let i = j + 1; i < n; i++) {
      let sum = a[i * n + j] ?? 0;
      for (let k = 0; k < j; k++) sum -= (a[i * n + k] ?? 0) * (a[j * n + k] ?? 0);
      a[i * n + j] = sum / root;
    }
  }
  const z = Float64Array.from(b);
  for (let i = 0; i < n; i++) {
    let sum = z[i] ?? 0;
    for (let k = 0; k < i; k++) sum -= (a[i * n + k] ?? 0) * (z[k] ?? 0);
    z[i] = sum / (a[i * n + i] ?? 1);
  }
  for (let i = n - 1; i >= 0; i--) {
    let sum = z[i] ?? 0;
    for (let k = i + 1; k < n; k++) sum -= (a[k * n + i] ?? 0) * (z[k] ?? 0);
    z[i] = sum / (a[i * n + i] ?? 1);
  }
  return z;
}

/**
 * The unpenalised Newton system at `eta`: the log-likelihood's gradient `Xᵀ(y − μ)` into `gradient`, and the lower
 * triangle (diagonal included) of `XᵀWX`, `W = diag(μ)`, into `hessian`; `mu` and `weighted` are scratch of one
 * entry per row. Each entry is its terms summed over the rows in order, `(μ_i·x_ij)·x_ik` for the Hessian, as one
 * pass adding every row into the matrix would (a zero `x_ij` adds only zeros, which leave a sum as it is). The
 * entries are summed four at a time down the columns instead, so the sums stay in registers and four additions
 * overlap: about twice as fast, and this is most of a fit.
 */
function newtonSystem(
  design: Design,
  y: ArrayLike<number>,
  eta: Float64Array,
  mu: Float64Array,
  weighted: Float64Array,
  gradient: Float64Array,
  hessian: Float64Array,
): void {
  const { x, rows, cols } = design;
  for (let i = 0; i < rows; i++) mu[i] = Math.exp(eta[i]!);
  for (let j = 0; j < cols; j++) {
    let slope = 0;
    for (let i = 0, at = j; i < rows; i++, at += cols) {
      const xj = x[at]!;
      slope += xj * ((y[i] ?? 0) - mu[i]!);
      weighted[i] = mu[i]! * xj;
    }
    gradient[j] = slope;
    const row = j * cols;
    let k = 0;
    for (; k + 3 <= j; k += 4) {
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      let s3 = 0;
      for (let i = 0, at = k; i < rows; i++, at += cols) {
        const w = weighted[i]!;
        s0 += w * x[at]!;
        s1 += w * x[at + 1]!;
        s2 += w * x[at + 2]!;
        s3 += w * x[at + 3]!;
      }
      hessian[row + k] = s0;
      hessian[row + k + 1] = s1;
      hessian[row + k + 2] = s2;
      hessian[row + k + 3] = s3;
    }
    for (; k <= j; k++) {
      let sum = 0;
      for (let i = 0, at = k; i < rows; i++, at += cols) sum += weighted[i]! * x[at]!;
      hessian[row + k] = sum;
    }
  }
}

/**
 * Fits the penalised Poisson regression `y ~ Poisson(exp(Xβ))`, maximising `Σ (y·η − e^η) − l2/2 · Σ_{j≥1} β_j²`.
 * Returns the coefficients; the log-likelihood is concave, so Newton with step halving converges from the
 * intercept-only start.
 */
export function fitPoissonRidge(design: Design, y: ArrayLike<number>, l2: number): Float64Array {
  const { rows, cols } = design;
  let total = 0;
  for (let i = 0; i < rows; i++) total += y[i] ?? 0;
  const beta = new Float64Array(cols);
  beta[0] = Math.log(Math.max(total, 0.5) / Math.max(rows, 1));
  const eta = new Float64Array(rows);
  linearPredictor(design, beta, eta);
  let objective = penalisedLogLikelihood(y, eta, beta, l2);
  const gradient = new Float64Array(cols);
  const hessian = new Float64Array(cols * cols);
  const trial = new Float64Array(cols);
  const mu = new Float64Array(rows);
  const weighted = new Float64Array(rows);
  for (let iteration = 0; iteration < MAX_ITERATIONS; iteration++) {
    newtonSystem(design, y, eta, mu, weighted, gradient, hessian);
    for (let j = 0; j < cols; j++) {
      const penalty = j === 0 ? 0 : l2;
      gradient[j] = (gradient[j] ?? 0) - penalty * (beta[j] ?? 0);
      hessian[j * cols + j] = (hessian[j * cols + j] ?? 0) + penalty + JITTER;
      for (let k = 0; k < j; k++) hessian[k * cols + j] = hessian[j * cols + k] ?? 0;
    }
    const step = solveCholesky(hessian, gradient, cols);
    let scale = 1;
    let improved = false;
    for (let halving = 0; halving < MAX_HALVINGS; halving++, scale /= 2) {
      for (let j = 0; j < cols; j++) trial[j] = (beta[j] ?? 0) + scale * (step[j] ?? 0);
      linearPredictor(design, trial, eta);
      const candidate = penalisedLogLikelihood(y, eta, trial, l2);
      if (candidate >= objective) {
        objective = candidate;
        improved = true;
        break;
      }
    }
    if (!improved) {
      linearPredictor(design, beta, eta);
      break;
    }
    let largest = 0;
    for (let j = 0; j < cols; j++) largest = Math.max(largest, Math.abs((trial[j] ?? 0) - (beta[j] ?? 0)));
    beta.set(trial);
    if (largest < TOLERANCE) break;
  }
  return beta;
}
