// The mails Mosaic sends. Each says what happened, what to do, and what to do if it was not
// you; each has a plain-text and an HTML part. The HTML loads nothing from outside (no
// images, fonts or style sheets: a remote image is a read receipt, and many clients block
// them anyway), and every value placed in it is escaped.

export interface RenderedMail {
  subject: string;
  text: string;
  html: string;
}

export type MailContent =
  | { kind: 'password_reset'; link: string; validMinutes: number }
  | { kind: 'verify_email'; link: string; validDays: number }
  | { kind: 'change_email'; link: string; newEmail: string; validHours: number }
  | { kind: 'email_changed'; newEmail: string };

export type MailKind = MailContent['kind'];

const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

interface Parts {
  subject: string;
  /** Paragraphs before the button. */
  intro: string[];
  action?: { label: string; link: string };
  /** Paragraphs after it. */
  outro: string[];
}

function parts(content: MailContent): Parts {
  switch (content.kind) {
    case 'password_reset':
      return {
        subject: 'Set a new Mosaic password',
        intro: ['Someone asked to set a new password for the Mosaic account with this address.'],
        action: { label: 'Set a new password', link: content.link },
        outro: [
          `The link works once, for ${content.validMinutes} minutes.`,
          'If it was not you, ignore this mail: your password stays as it is, and nobody can use the link without this mailbox.',
        ],
      };
    case 'verify_email':
      return {
        subject: 'Confirm your address for Mosaic',
        intro: ['Welcome to Mosaic. Please confirm that this address is yours, so you can always get back into your account.'],
        action: { label: 'Confirm my address', link: content.link },
        outro: [
          `The link works for ${content.validDays} days.`,
          'If you did not create a Mosaic account, ignore this mail: the address stays unconfirmed and you will hear nothing more about it.',
        ],
      };
    case 'change_email':
      return {
        subject: 'Confirm your new address for Mosaic',
        intro: [`Someone asked to use ${content.newEmail} as the address of a Mosaic account. Nothing changes until you confirm.`],
        action: { label: 'Use this address', link: content.link },
        outro: [
          `The link works once, for ${content.validHours} hours.`,
          'If it was not you, ignore this mail: the account keeps its current address.',
        ],
      };
    case 'email_changed':
      return {
        subject: 'Your Mosaic address was changed',
        intro: [`The address of your Mosaic account was changed to ${content.newEmail}. From now on, log in with that address.`],
        outro: [
          'If you did not make this change, someone who knows your password has taken the account: contact whoever runs this Mosaic at once, and tell them the time of this mail.',
        ],
      };
  }
}

function text(p: Parts): string {
  const lines = [...p.intro, ...(p.action ? [`${p.action.label}:\n${p.action.link}`] : []), ...p.outro, '— Mosaic'];
  return `${lines.join('\n\n')}\n`;
}

function html(p: Parts): string {
  const paragraph = (t: string) => `<p style="margin:0 0 16px">${escapeHtml(t)}</p>`;
  const action = p.action
    ? `<p style="margin:24px 0"><a href="${escapeHtml(p.action.link)}" style="background:#1f4e79;color:#ffffff;padding:12px 20px;border-radius:6px;text-decoration:none;display:inline-block">${escapeHtml(p.action.label)}</a></p>` +
      `<p style="margin:0 0 16px;font-size:14px;color:#444444">Or open this address: <a href="${escapeHtml(p.action.link)}" style="color:#1f4e79;word-break:break-all">${escapeHtml(p.action.link)}</a></p>`
    : '';
  return [
    '<!doctype html>',
    `<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>${escapeHtml(p.subject)}</title></head>`,
    '<body style="margin:0;padding:24px;font-family:system-ui,-apple-system,Segoe UI,sans-serif;font-size:16px;line-height:1.5;color:#1a1a1a;background:#ffffff">',
    '<div style="max-width:560px;margin:0 auto">',
    ...p.intro.map(paragraph),
    action,
    ...p.outro.map(paragraph),
    '<p style="margin:24px 0 0;color:#444444">— Mosaic</p>',
    '</div></body></html>',
  ].join('\n');
}

export function renderMail(content: MailContent): RenderedMail {
  const p = parts(content);
  return { subject: p.subject, text: text(p), html: html(p) };
}
