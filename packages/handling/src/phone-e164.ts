import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/core';
import metadata from 'libphonenumber-js/min/metadata';

/**
 * E.164 of a phone number as a person types it or a PBX shows it (`0812…`, `+62 812-…`, `62812…`), read in
 * `defaultRegion` (Indonesia) when it has no country code; undefined when libphonenumber finds it no valid number
 * (an extension, `anonymous`). One form per number, so one customer is one contact whichever way it was written.
 *
 * The core entry with the metadata passed in, not the default entry: that one reaches its metadata by a relative
 * `*.json.js` import, which the test run's `.js`-stripping module mapper turns into the raw JSON file.
 */
export function phoneToE164(input: string, defaultRegion: CountryCode = 'ID'): string | undefined {
  const phone = parsePhoneNumberFromString(input, defaultRegion, metadata);
  return phone?.isValid() ? phone.number : undefined;
}
