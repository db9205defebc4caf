const NAMES: Record<string, string> = {
  'application/pdf': 'PDF',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'Word document',
  'application/msword': 'Word document',
  'application/vnd.oasis.opendocument.text': 'OpenDocument text',
  'application/rtf': 'Rich text (RTF)',
  'text/rtf': 'Rich text (RTF)',
  'text/plain': 'Plain text',
  'text/markdown': 'Markdown',
};

/** A stored file's type as people name it ("Word document"), not its media type. */
export function typeName(contentType: string): string {
  return NAMES[contentType.split(';')[0]!.trim().toLowerCase()] ?? 'Document';
}

/** What the server accepts (src/files/detect.ts), for the hint and the file picker. */
export const ACCEPTED_TEXT = 'PDF, Word (.docx), OpenDocument (.odt), rich text (.rtf), plain text (.txt) or Markdown (.md)';
export const ACCEPT_ATTRIBUTE = '.pdf,.docx,.odt,.rtf,.txt,.md,application/pdf,text/plain,text/markdown';
