/**
 * A fast reader for the plain block-style YAML people write by hand (js-yaml
 * 4, about five times faster than the `yaml` package), used by parseYaml
 * (./document.ts) in front of `yaml`. It gives a value only where `yaml`, as coc configures it (YAML 1.2,
 * core schema, unique keys, one document), is known to give the very same
 * value; for anything else it gives `undefined` and `yaml` decides, with its
 * line-numbered error messages. So it never accepts what `yaml` refuses and
 * never reads a text differently (test/core/fast-yaml.test.ts compares both
 * on a corpus and on mutations of it).
 *
 * Left to `yaml`: text with a tab, a carriage return, a byte-order mark, a
 * control or other special character, a directive or a document marker
 * (other than one leading `---`); anchors, aliases and tags (so no alias
 * bombs, merge keys or `!!binary` here); a null or a collection as a key;
 * the indicators and line shapes on which the two parsers were seen to part
 * ways (see {@link INDICATOR} and {@link Watch}); a key near yaml's length
 * limit; nesting deeper than js-yaml's limit; and every text js-yaml refuses
 * (duplicate keys among them).
 */
import { Schema, Type, load, type State } from "js-yaml";

// Plain scalars resolve exactly as in yaml's core schema (yaml/dist/schema/core/*.js, tried in its order).
const NULL = /^(?:~|[Nn]ull|NULL)?$/;
const BOOL = /^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/;
const INT_OCT = /^0o[0-7]+$/;
const INT = /^[-+]?[0-9]+$/;
const INT_HEX = /^0x[0-9a-fA-F]+$/;
const FLOAT_NAN = /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/;
const FLOAT_EXP = /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+$/;
const FLOAT = /^[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)$/;

function toNumber(s: string): number {
  if (INT_OCT.test(s)) return parseInt(s.substring(2), 8);
  if (INT.test(s)) return parseInt(s, 10);
  if (INT_HEX.test(s)) return parseInt(s.substring(2), 16);
  if (FLOAT_NAN.test(s)) return s.slice(-3).toLowerCase() === "nan" ? NaN : s[0] === "-" ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
  return parseFloat(s);
}

/**
 * An implicit type (plain scalars only). js-yaml calls `resolve` with one
 * argument when resolving implicitly and with the tag for an explicit tag,
 * which these refuse (the text check sends tags to yaml anyway).
 */
const implicit = (tag: string, test: (s: string) => boolean, construct: (s: string) => unknown) =>
  new Type(tag, { kind: "scalar", resolve: (...args: unknown[]) => args.length === 1 && typeof args[0] === "string" && test(args[0]), construct });

const SCHEMA = new Schema({
  implicit: [
    implicit("tag:coc.invalid,2026:null", (s) => NULL.test(s), () => null),
    implicit("tag:coc.invalid,2026:bool", (s) => BOOL.test(s), (s: string) => s[0] === "t" || s[0] === "T"),
    implicit("tag:coc.invalid,2026:number", (s) => INT_OCT.test(s) || INT.test(s) || INT_HEX.test(s) || FLOAT_NAN.test(s) || FLOAT_EXP.test(s) || FLOAT.test(s), toNumber),
  ],
});

/**
 * Characters outside printable ASCII, newline and the ordinary non-ASCII
 * range (valid surrogate pairs included): tabs, carriage returns, controls,
 * NEL, the Unicode line and paragraph separators, byte-order marks, U+FFFE/F.
 */
const SPECIAL = /[^\n\x20-\x7E\xA0-\u2027\u202A-\uD7FF\uE000-\uFEFE\uFF00-\uFFFD\uD800-\uDFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?:^|[^\uD800-\uDBFF])[\uDC00-\uDFFF]/;
/** A line that starts like a directive or a document marker. */
const MARKER = /^(?:%|---|\.\.\.)/m;
/**
 * Indicators at the start of a node (after the start, white space, a flow
 * indicator or a `:`) that this reader leaves to yaml: a tag `!`, an explicit
 * key `?` or a value `:` with nothing before it; a flow collection that ends
 * before a `:` (a collection as a key); a `#` right after a flow indicator
 * (yaml refuses it, js-yaml reads a comment; {@link Watch} looks for one
 * right after a node, such as a closing quote); an escaped line
 * break (`\` at the end of a line), which the two fold differently around
 * blank lines; a `-` with nothing after it on its line (an empty sequence
 * entry, which js-yaml nests differently in `- -`).
 */
const INDICATOR = /(?:^|[\s[{,:])!|(?:^|[\s[{,])[?:](?:\s|$)|[\]}]\s*:|[[{,]#|\\\n|(?:^|[ \n])-[ ]*(?:#[^\n]*)?(?:\n|$)/;
/** yaml's limit on an implicit key (from its start to the `:`), kept well under. */
const MAX_KEY = 1000;

/** @returns the value, or undefined when `yaml` must decide. */
export function fastYaml(text: string): unknown {
  if (SPECIAL.test(text) || MARKER.test(text.startsWith("---\n") ? text.slice(4) : text) || INDICATOR.test(text) || longKey(text)) return undefined;
  const watch = new Watch(text);
  let value: unknown;
  try {
    value = load(text, { schema: SCHEMA, listener: (event, state) => watch.on(event, state as NodeState) });
  } catch {
    return undefined;
  }
  // A document that is a scalar is left to yaml: a block scalar there may have lines at column 0, which js-yaml reads differently.
  if (watch.refused || value === null || typeof value !== "object") return undefined;
  const counted = { collections: 0 };
  // Every collection js-yaml built is in the value: none of them was a key (js-yaml and yaml write those differently).
  return plainKeys(value, 0, counted) && counted.collections === watch.collections ? value : undefined;
}

type NodeState = State & { anchor: string | null };

/**
 * Follows js-yaml's nodes (listener events): refuses anchors and a `#`
 * stuck to the end of a node, counts the collections, and checks the lines of a flow node (a quoted or plain scalar,
 * a flow collection) that spans lines: yaml wants each of them indented
 * deeper than the block the node starts in, where js-yaml takes any
 * indentation. Deeper than the node's line's content (after any `- `) is
 * what is asked here, which is never less than yaml asks.
 */
class Watch {
  refused = false;
  collections = 0;
  private readonly starts: number[] = [];
  constructor(private readonly text: string) {}

  on(event: "open" | "close", state: NodeState): void {
    if (event === "open") {
      this.starts.push(state.position);
      return;
    }
    const start = this.starts.pop() ?? 0;
    const end = state.position;
    // An anchor; or a `#` right after a node, without white space (yaml refuses it, js-yaml reads a comment).
    if (state.anchor !== null || (this.text.charCodeAt(end) === 0x23 && !/\s/.test(this.text.charAt(end - 1)))) this.refused = true;
    if (state.kind === "mapping" || state.kind === "sequence") this.collections++;
    if (!this.refused && this.text.lastIndexOf("\n", end - 1) >= start) this.checkFlow(start, end);
  }

  /** A node from `start` to `end` that spans lines: if it is a flow node, its later lines must be indented deeper than its first line's content. */
  private checkFlow(start: number, end: number): void {
    const text = this.text;
    let i = start;
    // Skip what precedes the node: white space, line breaks and comments.
    for (;;) {
      const c = text.charCodeAt(i);
      if (c === 0x20 || c === 0x0a) i++;
      else if (c === 0x23) i = text.indexOf("\n", i) === -1 ? end : text.indexOf("\n", i);
      else break;
    }
    const first = text.charCodeAt(i);
    // Only quoted scalars and flow collections; js-yaml checks the lines of block nodes and plain scalars as yaml does.
    if (first !== 0x22 && first !== 0x27 && first !== 0x5b && first !== 0x7b) return;
    // The content of the node's first line: after its indentation and any `- `.
    const lineStart = text.lastIndexOf("\n", i - 1) + 1;
    let content = lineStart;
    for (;;) {
      while (text.charCodeAt(content) === 0x20) content++;
      if (text.charCodeAt(content) === 0x2d && text.charCodeAt(content + 1) === 0x20) content += 2;
      else break;
    }
    const need = content - lineStart;
    for (let nl = text.indexOf("\n", i); nl !== -1 && nl < end; nl = text.indexOf("\n", nl + 1)) {
      let indent = 0;
      while (text.charCodeAt(nl + 1 + indent) === 0x20) indent++;
      if (text.charCodeAt(nl + 1 + indent) !== 0x0a && indent <= need) {
        this.refused = true;
        return;
      }
    }
  }
}

/** Whether a line of `text` has a `:` beyond {@link MAX_KEY} (yaml refuses implicit keys that long). */
function longKey(text: string): boolean {
  for (let start = 0; start < text.length; ) {
    let end = text.indexOf("\n", start);
    if (end === -1) end = text.length;
    for (let i = start + MAX_KEY; i < end; i++) if (text.charCodeAt(i) === 0x3a) return true;
    start = end + 1;
  }
  return false;
}

/**
 * No key "null" (js-yaml writes a null key as "null" where yaml writes ""),
 * and no nesting deeper than js-yaml allows (so this walk stays shallow);
 * counts the collections.
 */
function plainKeys(value: unknown, depth: number, counted: { collections: number }): boolean {
  if (value === null || typeof value !== "object" || depth > 100) return depth <= 100;
  counted.collections++;
  if (Array.isArray(value)) return value.every((v) => plainKeys(v, depth + 1, counted));
  for (const key of Object.keys(value)) {
    if (key === "null" || !plainKeys((value as Record<string, unknown>)[key], depth + 1, counted)) return false;
  }
  return true;
}
