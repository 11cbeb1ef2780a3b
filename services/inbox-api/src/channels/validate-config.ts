import type { TSchema } from '@sinclair/typebox';
import { Ajv } from 'ajv';
import addFormatsPlugin from 'ajv-formats';
import { InvalidChannelConfig } from '../errors.js';

// ajv-formats is CommonJS; under NodeNext its default import is the module object.
const addFormats = addFormatsPlugin as unknown as (ajv: Ajv) => Ajv;
const ajv = addFormats(new Ajv({ allErrors: true, strict: false }));

/** Compiles a config schema of a channel type into a check that throws `invalid_channel_config` with every problem. */
export function configValidator<T>(schema: TSchema): (config: unknown) => T {
  const validate = ajv.compile(schema);
  return (config) => {
    if (validate(config)) return config as T;
    throw InvalidChannelConfig(undefined, {
      errors: (validate.errors ?? []).map((e) => ({ path: `/config${e.instancePath}`, message: e.message, params: e.params })),
    });
  };
}
