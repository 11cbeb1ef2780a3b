/**
 * The one error this package throws. It carries a snake_case code so a service can map it to the
 * contract's error body (`{error: {code, message, details}}`) without parsing messages.
 */
export class HandlingError extends Error {
  override readonly name = 'HandlingError';

  constructor(
    readonly code: 'unknown_time_zone' | 'invalid_date' | 'template_variable_missing' | 'invalid_holiday_file' | 'invalid_business_hours' | 'no_working_hours',
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}
