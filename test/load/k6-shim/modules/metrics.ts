/** Stand-in for k6/metrics: every add() becomes a sample the engine aggregates like k6 does. */
import { declared, sample, type MetricType } from './state.ts';

class Metric {
  constructor(
    readonly name: string,
    private readonly type: MetricType,
    private readonly isTime = false,
  ) {
    declared.set(name, { type, isTime });
  }
  add(value: number | boolean): void {
    sample(this.name, this.type, this.isTime, typeof value === 'boolean' ? Number(value) : value);
  }
}

export class Counter extends Metric {
  constructor(name: string) {
    super(name, 'counter');
  }
}
export class Trend extends Metric {
  constructor(name: string, isTime = false) {
    super(name, 'trend', isTime);
  }
}
export class Rate extends Metric {
  constructor(name: string) {
    super(name, 'rate');
  }
}
export class Gauge extends Metric {
  constructor(name: string) {
    super(name, 'gauge');
  }
}
