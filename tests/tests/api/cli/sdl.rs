//! A small reader of GraphQL SDL, enough to compare two schemas structurally: each
//! named definition (scalar, enum, type, input, interface, union) with its fields,
//! their arguments and types. Descriptions, comments, directives and default values
//! are dropped; `schema { … }` and directive definitions are skipped.

use std::collections::BTreeMap;

/// A field (or input field, or enum value) and its arguments, types written as in SDL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Field {
    /// `[Task!]!`; empty for an enum value.
    pub ty: String,
    /// Argument name → type.
    pub args: BTreeMap<String, String>,
}

/// One named definition.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Definition {
    /// `type`, `input`, `enum`, `scalar`, `interface` or `union`.
    pub kind: String,
    /// Members by name.
    pub fields: BTreeMap<String, Field>,
}

/// Definitions by name.
pub type Schema = BTreeMap<String, Definition>;

fn tokens(sdl: &str) -> Vec<String> {
    let chars: Vec<char> = sdl.chars().collect();
    let (mut out, mut i) = (Vec::new(), 0);
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() || c == ',' {
            i += 1;
        } else if c == '#' {
            while i < chars.len() && chars[i] != '\n' {
                i += 1;
            }
        } else if chars[i..].starts_with(&['"', '"', '"']) {
            i += 3;
            while i < chars.len() && !chars[i..].starts_with(&['"', '"', '"']) {
                i += if chars[i] == '\\' { 2 } else { 1 };
            }
            i += 3;
        } else if c == '"' {
            i += 1;
            while i < chars.len() && chars[i] != '"' {
                i += if chars[i] == '\\' { 2 } else { 1 };
            }
            i += 1;
        } else if c.is_alphanumeric() || c == '_' || c == '-' || c == '.' {
            let start = i;
            while i < chars.len() && (chars[i].is_alphanumeric() || "_-.".contains(chars[i])) {
                i += 1;
            }
            out.push(chars[start..i].iter().collect());
        } else {
            out.push(c.to_string());
            i += 1;
        }
    }
    out
}

struct Reader {
    toks: Vec<String>,
    at: usize,
}

impl Reader {
    fn peek(&self) -> &str {
        self.toks.get(self.at).map_or("", String::as_str)
    }

    fn next(&mut self) -> String {
        let t = self.peek().to_string();
        self.at += 1;
        t
    }

    fn eat(&mut self, t: &str) -> bool {
        let found = self.peek() == t;
        if found {
            self.at += 1;
        }
        found
    }

    /// Skips a balanced `(…)`, `[…]` or `{…}` group, or one token.
    fn skip_value(&mut self) {
        let open = self.next();
        let close = match open.as_str() {
            "(" => ")",
            "[" => "]",
            "{" => "}",
            _ => return,
        };
        while !self.peek().is_empty() && self.peek() != close {
            self.skip_value();
        }
        self.eat(close);
    }

    fn directives(&mut self) {
        while self.eat("@") {
            self.next();
            if self.peek() == "(" {
                self.skip_value();
            }
        }
    }

    fn ty(&mut self) -> String {
        let mut ty = if self.eat("[") {
            let inner = self.ty();
            self.eat("]");
            format!("[{inner}]")
        } else {
            self.next()
        };
        if self.eat("!") {
            ty.push('!');
        }
        ty
    }

    /// `name(args): Type = default @directives`; enum values have no type.
    fn field(&mut self, typed: bool) -> (String, Field) {
        let name = self.next();
        let mut args = BTreeMap::new();
        if self.eat("(") {
            while !self.peek().is_empty() && !self.eat(")") {
                let (arg, field) = self.field(true);
                args.insert(arg, field.ty);
            }
        }
        let ty = if typed && self.eat(":") {
            self.ty()
        } else {
            String::new()
        };
        if self.eat("=") {
            self.skip_value();
        }
        self.directives();
        (name, Field { ty, args })
    }
}

/// Reads the named definitions of an SDL document.
pub fn parse(sdl: &str) -> Schema {
    let mut r = Reader {
        toks: tokens(sdl),
        at: 0,
    };
    let mut schema = Schema::new();
    while !r.peek().is_empty() {
        let kind = r.next();
        match kind.as_str() {
            "schema" => {
                r.directives();
                r.skip_value();
            }
            "directive" => {
                r.eat("@");
                r.next();
                if r.peek() == "(" {
                    r.skip_value();
                }
                r.eat("repeatable");
                r.eat("on");
                r.eat("|");
                r.next();
                while r.eat("|") {
                    r.next();
                }
            }
            "scalar" | "enum" | "type" | "input" | "interface" | "union" => {
                let name = r.next();
                let mut fields = BTreeMap::new();
                if r.eat("implements") {
                    r.eat("&");
                    while !matches!(r.peek(), "{" | "@" | "") {
                        r.next();
                    }
                }
                r.directives();
                if kind == "union" && r.eat("=") {
                    r.eat("|");
                    loop {
                        fields.insert(
                            r.next(),
                            Field {
                                ty: String::new(),
                                args: BTreeMap::new(),
                            },
                        );
                        if !r.eat("|") {
                            break;
                        }
                    }
                } else if r.eat("{") {
                    while !r.peek().is_empty() && !r.eat("}") {
                        let (name, field) = r.field(kind != "enum");
                        fields.insert(name, field);
                    }
                }
                schema.insert(name, Definition { kind, fields });
            }
            other => panic!("unexpected `{other}` at the top level of the SDL"),
        }
    }
    schema
}

/// What `schema` lacks or changes of `contract`. A field or argument the schema adds to
/// what the contract lists must be optional (its type not ending in `!`) wherever a
/// client would have to send it: arguments and input fields.
pub fn missing(contract: &Schema, schema: &Schema) -> Vec<String> {
    let mut problems = Vec::new();
    for (name, want) in contract {
        let Some(have) = schema.get(name) else {
            problems.push(format!("{} {name} is missing", want.kind));
            continue;
        };
        if have.kind != want.kind {
            problems.push(format!("{name} is a {}, not a {}", have.kind, want.kind));
            continue;
        }
        for (field, w) in &want.fields {
            let Some(h) = have.fields.get(field) else {
                problems.push(format!("{name}.{field} is missing"));
                continue;
            };
            if h.ty != w.ty {
                problems.push(format!("{name}.{field} is {} instead of {}", h.ty, w.ty));
            }
            for (arg, ty) in &w.args {
                match h.args.get(arg) {
                    Some(t) if t == ty => {}
                    Some(t) => problems.push(format!("{name}.{field}({arg}:) is {t}, not {ty}")),
                    None => problems.push(format!("{name}.{field}({arg}:) is missing")),
                }
            }
            for (arg, ty) in &h.args {
                if !w.args.contains_key(arg) && ty.ends_with('!') {
                    problems.push(format!(
                        "{name}.{field}({arg}: {ty}) is an added required argument"
                    ));
                }
            }
        }
        if want.kind == "input" {
            for (field, h) in &have.fields {
                if !want.fields.contains_key(field) && h.ty.ends_with('!') {
                    problems.push(format!(
                        "{name}.{field}: {} is an added required input field",
                        h.ty
                    ));
                }
            }
        }
    }
    problems
}
