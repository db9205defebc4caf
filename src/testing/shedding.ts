/**
 * Environment that turns load shedding off. On a machine busy with other tests it would shed
 * requests of tests about something else; the overload test and bench turn it on.
 */
export const SHEDDING_OFF = {
  PRESSURE_MAX_EVENT_LOOP_DELAY_MS: '0',
  PRESSURE_MAX_EVENT_LOOP_UTILIZATION: '0',
  PRESSURE_MAX_HEAP_MB: '0',
  PRESSURE_MAX_RSS_MB: '0',
};
