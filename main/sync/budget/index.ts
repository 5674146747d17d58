/** The daily budget planner and the rolling re-read's sizing (main/sync/README.md, "Daily budget and the rolling re-read"). */
export {
  DAILY_BUDGETS,
  WRITE_FLOOR_PERCENT,
  CLIENT_NOTES_EVERY_WHEN_LOW,
  COMPLETED_TASK_PAGES,
  budgetDay,
  type DailyBudget,
} from './declared.js';
export {
  planBudget,
  dueUnits,
  type ApiPlan,
  type ApiToday,
  type BudgetPlan,
  type BudgetState,
  type PlanInput,
  type SliceDemand,
} from './plan.js';
