// Free text written through the API that staff and other users read back: names, addresses, areas,
// product names and units, price-change reasons and review notes, contact notes. Besides control
// characters, it may not hold invisible formatting characters, which make text display other than it
// reads: bidirectional embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069; an override
// shows a product name's letters in reverse order), the direction marks U+200E, U+200F and U+061C,
// zero-width spaces and joiners that belong to no script (U+200B, U+2060–U+2064, U+FEFF), and the line
// and paragraph separators. U+200C and U+200D (ZWNJ, ZWJ) stay allowed: Hindi, Marathi, Bengali and
// Malayalam spell with them, and emoji sequences need ZWJ.
import { badUserInput } from './errors.js';

const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f-\u009f]/;
/** Control characters other than line feed and tab, for text that may run over several lines. */
const CONTROL_CHARACTERS_BUT_LINES = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;
const HIDDEN_FORMATTING = /[\u061c\u200b\u200e\u200f\u2028\u2029\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/;

function codePointName(character: string): string {
  return `U+${character.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
}

/** Refuses invisible formatting characters (and control characters) in text that people read. */
export function refuseHiddenFormatting(field: string, text: string, options: { multiline?: boolean } = {}): void {
  const control = (options.multiline ? CONTROL_CHARACTERS_BUT_LINES : CONTROL_CHARACTERS).exec(text);
  if (control) throw badUserInput(field, `must not contain control characters (${codePointName(control[0])})`);
  const hidden = HIDDEN_FORMATTING.exec(text);
  if (hidden) {
    throw badUserInput(field, `must not contain invisible text-direction or zero-width characters (${codePointName(hidden[0])})`);
  }
}

/** One line of 1 to `maxLength` characters (code points), trimmed, that displays as it reads. */
export function requireDisplayText(field: string, value: string, maxLength = 100): string {
  const trimmed = typeof value === 'string' ? value.trim() : '';
  if (trimmed.length === 0 || [...trimmed].length > maxLength) throw badUserInput(field, `must be 1 to ${maxLength} characters`);
  refuseHiddenFormatting(field, trimmed);
  return trimmed;
}
