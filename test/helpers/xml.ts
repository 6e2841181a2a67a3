// A small XML reader for tests of the SVG the app writes: elements,
// attributes and text, and an error for anything not well-formed (a tag
// left open or closed out of turn, an attribute without quotes, a raw "<" or
// "&" in text). Enough for documents without DTDs, CDATA or namespaces
// prefixes; not a general parser, and no dependency for it.
export interface XmlElement {
  readonly name: string;
  readonly attrs: Readonly<Record<string, string>>;
  readonly children: XmlElement[];
  text: string;
  readonly parent: XmlElement | null;
}

const ENTITIES: Readonly<Record<string, string>> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };

function decode(text: string, at: number): string {
  return text.replace(/&([^;]*);?/g, (whole, name: string) => {
    if (!whole.endsWith(";")) throw new Error(`a raw & at ${at}`);
    if (name in ENTITIES) return ENTITIES[name]!;
    const code = /^#x([0-9a-f]+)$/i.exec(name)?.[1] ?? /^#([0-9]+)$/.exec(name)?.[1];
    if (code === undefined) throw new Error(`an unknown entity &${name}; at ${at}`);
    return String.fromCodePoint(name.startsWith("#x") ? parseInt(code, 16) : Number(code));
  });
}

export function parseXml(source: string): XmlElement {
  const doc = source.replace(/^<\?xml[^?]*\?>\s*/, "");
  const root: XmlElement = { name: "#document", attrs: {}, children: [], text: "", parent: null };
  let current = root;
  const token = /<(\/?)([A-Za-z][\w:.-]*)((?:\s+[\w:.-]+="[^"<]*")*)\s*(\/?)>|([^<]+)|(<)/gy;
  let m: RegExpExecArray | null;
  while (token.lastIndex < doc.length && (m = token.exec(doc)) !== null) {
    const [, closing, name, attrText, selfClosing, text, stray] = m;
    if (stray !== undefined) throw new Error(`a malformed tag at ${m.index}: ${doc.slice(m.index, m.index + 60)}`);
    if (text !== undefined) {
      current.text += decode(text, m.index);
      continue;
    }
    if (closing) {
      if (current.name !== name) throw new Error(`</${name}> closes <${current.name}> at ${m.index}`);
      current = current.parent!;
      continue;
    }
    const attrs: Record<string, string> = {};
    for (const [, key, value] of attrText!.matchAll(/([\w:.-]+)="([^"]*)"/g)) {
      if (key! in attrs) throw new Error(`attribute ${key} twice at ${m.index}`);
      attrs[key!] = decode(value!, m.index);
    }
    const element: XmlElement = { name: name!, attrs, children: [], text: "", parent: current };
    current.children.push(element);
    if (!selfClosing) current = element;
  }
  if (token.lastIndex !== doc.length && doc.slice(token.lastIndex).trim() !== "") {
    throw new Error(`unreadable from ${token.lastIndex}`);
  }
  if (current !== root) throw new Error(`<${current.name}> is never closed`);
  if (root.children.length !== 1) throw new Error("not one root element");
  return root.children[0]!;
}

/** Every element below `root` (and itself) that `match` accepts, in document order. */
export function findAll(root: XmlElement, match: (e: XmlElement) => boolean): XmlElement[] {
  const out: XmlElement[] = [];
  const walk = (e: XmlElement) => {
    if (match(e)) out.push(e);
    e.children.forEach(walk);
  };
  walk(root);
  return out;
}
