import type { TemplateToSend } from '@sapa/db/queries/whatsapp-templates';

/**
 * The Cloud API's `template` object (developers.facebook.com/docs/whatsapp/cloud-api/reference/messages#template-object):
 * the language as `{code}`, and `components` only when the template has variables to fill.
 */
export function templatePayload(template: TemplateToSend): Record<string, unknown> {
  return {
    name: template.name,
    language: { code: template.language },
    ...(template.components.length > 0 && { components: template.components }),
  };
}
