/** The order of an ARIMA(p,d,q) model: `p` autoregressive terms, `d` differences, `q` moving-average terms. */
export interface ArimaOrder {
  readonly p: number;
  readonly d: number;
  readonly q: number;
}
