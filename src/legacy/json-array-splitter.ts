// Splits the text of one JSON array (`mongoexport --jsonArray`) into the source text of its top-level
// elements as the chunks arrive, so a file of any size is parsed one document at a time. It only tracks
// strings, escapes and nesting depth; each element's text is then parsed by bson's EJSON, never here.

interface ArrayElement {
  text: string;
  /** 1-based line on which the element starts. */
  line: number;
}

export class JsonArraySplitter {
  private depth = 0;
  private inString = false;
  private escaped = false;
  private started = false;
  private finished = false;
  private current = '';
  private currentLine = 0;
  private line = 1;
  /** Set when text other than whitespace follows the closing bracket, or precedes the opening one. */
  structureError: string | null = null;

  /** Feeds a chunk and returns the elements completed within it. */
  push(chunk: string): ArrayElement[] {
    const elements: ArrayElement[] = [];
    for (let index = 0; index < chunk.length; index += 1) {
      const character = chunk[index];
      if (character === '\n') this.line += 1;
      if (!this.started) {
        if (character === '[') this.started = true;
        else if (!/\s/.test(character)) this.noteStructureError(`unexpected "${character}" before "["`);
        continue;
      }
      if (this.finished) {
        if (!/\s/.test(character)) this.noteStructureError(`unexpected "${character}" after "]"`);
        continue;
      }
      if (this.inString) {
        this.current += character;
        if (this.escaped) this.escaped = false;
        else if (character === '\\') this.escaped = true;
        else if (character === '"') this.inString = false;
        continue;
      }
      if (this.depth === 0 && (character === ',' || character === ']')) {
        this.flush(elements);
        if (character === ']') this.finished = true;
        continue;
      }
      if (this.current.length === 0 && /\s/.test(character)) continue;
      if (this.current.length === 0) this.currentLine = this.line;
      this.current += character;
      if (character === '"') this.inString = true;
      else if (character === '{' || character === '[') this.depth += 1;
      else if (character === '}' || character === ']') this.depth -= 1;
    }
    return elements;
  }

  /** Call at the end of the input: returns a trailing element of an unterminated array, if any. */
  end(): ArrayElement[] {
    const elements: ArrayElement[] = [];
    if (this.started && !this.finished) {
      this.noteStructureError('the array is not closed with "]"');
      this.flush(elements);
    }
    return elements;
  }

  private flush(elements: ArrayElement[]): void {
    const text = this.current.trim();
    if (text.length > 0) elements.push({ text, line: this.currentLine });
    this.current = '';
    this.depth = 0;
  }

  private noteStructureError(message: string): void {
    this.structureError ??= `line ${this.line}: ${message}`;
  }
}
