import { parsePhoneNumberFromString } from 'libphonenumber-js/core';
import metadata from 'libphonenumber-js/min/metadata';

/**
 * E.164 of a phone number as a person types it, Indonesia (ID) when it has no country code; undefined when it is
 * not a valid number. The core entry with the metadata passed in, not the default entry: that one reaches its
 * metadata by a relative `*.json.js` import, which the test run's `.js`-stripping module mapper turns into the raw
 * JSON file.
 */
export function phoneToE164(input: string): string | undefined {
  const phone = parsePhoneNumberFromString(input, 'ID', metadata);
  return phone?.isValid() ? phone.number : undefined;
}
