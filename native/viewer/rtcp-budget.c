#include "viewer/rtcp-budget.h"

gboolean
rtcp_budget_take (RtcpBudget * budget, gint64 now_us)
{
  if (budget->refilled_us == 0)
    budget->tokens = RTCP_BUDGET_BURST;
  else
    budget->tokens = MIN (RTCP_BUDGET_BURST, budget->tokens
        + (gdouble) (now_us - budget->refilled_us) * RTCP_BUDGET_RATE
        / G_USEC_PER_SEC);
  budget->refilled_us = now_us;
  if (budget->tokens < 1)
    return FALSE;
  budget->tokens -= 1;
  return TRUE;
}
