/** Stand-in for k6/execution: the identifiers the scripts read. */
import { state } from './state.ts';

export default {
  vu: {
    get idInTest(): number {
      return state.vuId;
    },
    get idInInstance(): number {
      return state.vuId;
    },
  },
  scenario: {
    get name(): string {
      return state.scenario;
    },
    get iterationInTest(): number {
      return state.iterationInTest;
    },
  },
  instance: {
    get currentTestRunDuration(): number {
      return Date.now() - state.testStartMs;
    },
  },
};
