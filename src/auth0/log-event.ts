/** An Auth0 log event as the Management API returns it; only the fields this action reads are typed. */
export interface LogEvent {
  log_id?: string;
  _id?: string;
  type?: string;
  date?: string;
  user_name?: string;
  client_name?: string;
  [field: string]: unknown;
}

/** The event's id: `log_id`, falling back to `_id`. */
export function eventId(event: LogEvent): string | undefined {
  const id = event.log_id ?? event._id;
  return typeof id === 'string' ? id : undefined;
}
