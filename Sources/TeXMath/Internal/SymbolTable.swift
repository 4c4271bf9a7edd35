/// What each TeX command without arguments stands for.
enum SymbolTable {
    /// Letters and ordinary symbols, written as `<mi>`. Capital Greek and `∇` are upright in TeX.
    static let identifiers: [String: (text: String, upright: Bool)] = {
        var table: [String: (text: String, upright: Bool)] = [
            "alpha": ("α", false), "beta": ("β", false), "gamma": ("γ", false), "delta": ("δ", false),
            "epsilon": ("ϵ", false), "varepsilon": ("ε", false), "zeta": ("ζ", false), "eta": ("η", false),
            "theta": ("θ", false), "vartheta": ("ϑ", false), "iota": ("ι", false), "kappa": ("κ", false),
            "varkappa": ("ϰ", false), "lambda": ("λ", false), "mu": ("μ", false), "nu": ("ν", false),
            "xi": ("ξ", false), "omicron": ("ο", false), "pi": ("π", false), "varpi": ("ϖ", false),
            "rho": ("ρ", false), "varrho": ("ϱ", false), "sigma": ("σ", false), "varsigma": ("ς", false),
            "tau": ("τ", false), "upsilon": ("υ", false), "phi": ("ϕ", false), "varphi": ("φ", false),
            "chi": ("χ", false), "psi": ("ψ", false), "omega": ("ω", false), "digamma": ("ϝ", false),
            "infty": ("∞", false), "emptyset": ("∅", false), "varnothing": ("∅", false),
            "partial": ("∂", false), "nabla": ("∇", true), "ell": ("ℓ", false), "hbar": ("ℏ", false),
            "hslash": ("ℏ", false), "imath": ("ı", false), "jmath": ("ȷ", false), "aleph": ("ℵ", false),
            "Re": ("ℜ", false), "Im": ("ℑ", false), "wp": ("℘", false), "top": ("⊤", false),
            "bot": ("⊥", false), "intercal": ("⊺", false), "angle": ("∠", false),
            "triangle": ("△", false), "Box": ("□", false), "square": ("□", false),
            "blacksquare": ("■", false), "checkmark": ("✓", false), "S": ("§", true), "P": ("¶", true),
            "complement": ("∁", false), "flat": ("♭", false), "natural": ("♮", false),
            "sharp": ("♯", false), "eth": ("ð", false), "degree": ("°", false),
            "%": ("%", true), "#": ("#", true), "&": ("&", true), "$": ("$", true), "_": ("_", true),
        ]
        let capitals = ["Gamma": "Γ", "Delta": "Δ", "Theta": "Θ", "Lambda": "Λ", "Xi": "Ξ", "Pi": "Π",
                        "Sigma": "Σ", "Upsilon": "Υ", "Phi": "Φ", "Psi": "Ψ", "Omega": "Ω"]
        for (name, letter) in capitals {
            table[name] = (letter, true)
            table["var" + name] = (letter, false)
        }
        return table
    }()

    /// Operators written as `<mo>`, spaced by MathML Core's operator dictionary.
    static let operators: [String: MathOperator] = {
        var table: [String: MathOperator] = [:]
        func add(_ texClass: TeXClass, _ pairs: [(String, String)]) {
            for (name, text) in pairs { table[name] = MathOperator(text, texClass) }
        }
        add(.bin, [
            ("pm", "±"), ("mp", "∓"), ("times", "×"), ("div", "÷"), ("cdot", "⋅"), ("ast", "∗"),
            ("star", "⋆"), ("circ", "∘"), ("bullet", "∙"), ("oplus", "⊕"), ("ominus", "⊖"),
            ("otimes", "⊗"), ("oslash", "⊘"), ("odot", "⊙"), ("cup", "∪"), ("cap", "∩"),
            ("sqcup", "⊔"), ("sqcap", "⊓"), ("vee", "∨"), ("wedge", "∧"), ("lor", "∨"), ("land", "∧"),
            ("setminus", "∖"), ("smallsetminus", "∖"), ("wr", "≀"), ("diamond", "⋄"),
            ("bigtriangleup", "△"), ("bigtriangledown", "▽"), ("triangleleft", "◃"),
            ("triangleright", "▹"), ("uplus", "⊎"), ("amalg", "⨿"), ("dagger", "†"),
            ("ddagger", "‡"), ("boxplus", "⊞"), ("boxtimes", "⊠"), ("boxminus", "⊟"),
            ("boxdot", "⊡"), ("ltimes", "⋉"), ("rtimes", "⋊"), ("dotplus", "∔"),
            ("centerdot", "⋅"), ("divideontimes", "⋇"),
        ])
        add(.rel, [
            ("le", "≤"), ("leq", "≤"), ("ge", "≥"), ("geq", "≥"), ("leqslant", "⩽"), ("geqslant", "⩾"),
            ("ne", "≠"), ("neq", "≠"), ("ll", "≪"), ("gg", "≫"), ("lll", "⋘"), ("ggg", "⋙"),
            ("approx", "≈"), ("approxeq", "≊"), ("simeq", "≃"), ("sim", "∼"), ("cong", "≅"),
            ("equiv", "≡"), ("propto", "∝"), ("varpropto", "∝"), ("prec", "≺"), ("succ", "≻"),
            ("preceq", "⪯"), ("succeq", "⪰"), ("preccurlyeq", "≼"), ("succcurlyeq", "≽"),
            ("subset", "⊂"), ("supset", "⊃"), ("subseteq", "⊆"), ("supseteq", "⊇"),
            ("subsetneq", "⊊"), ("supsetneq", "⊋"), ("sqsubset", "⊏"), ("sqsupset", "⊐"),
            ("sqsubseteq", "⊑"), ("sqsupseteq", "⊒"), ("in", "∈"), ("ni", "∋"), ("owns", "∋"),
            ("notin", "∉"), ("mid", "∣"), ("nmid", "∤"), ("parallel", "∥"), ("nparallel", "∦"),
            ("perp", "⟂"), ("vdash", "⊢"), ("dashv", "⊣"), ("models", "⊨"), ("vDash", "⊨"),
            ("to", "→"), ("rightarrow", "→"), ("leftarrow", "←"), ("gets", "←"),
            ("leftrightarrow", "↔"), ("Rightarrow", "⇒"), ("Leftarrow", "⇐"),
            ("Leftrightarrow", "⇔"), ("longrightarrow", "⟶"), ("longleftarrow", "⟵"),
            ("Longrightarrow", "⟹"), ("Longleftarrow", "⟸"), ("longleftrightarrow", "⟷"),
            ("Longleftrightarrow", "⟺"), ("implies", "⟹"), ("impliedby", "⟸"), ("iff", "⟺"),
            ("mapsto", "↦"), ("longmapsto", "⟼"), ("hookrightarrow", "↪"), ("hookleftarrow", "↩"),
            ("uparrow", "↑"), ("downarrow", "↓"), ("updownarrow", "↕"), ("Uparrow", "⇑"),
            ("Downarrow", "⇓"), ("nearrow", "↗"), ("searrow", "↘"), ("nwarrow", "↖"),
            ("swarrow", "↙"), ("rightharpoonup", "⇀"), ("leftharpoonup", "↼"),
            ("rightleftharpoons", "⇌"), ("leadsto", "⇝"), ("rightsquigarrow", "⇝"), ("doteq", "≐"),
            ("triangleq", "≜"), ("coloneqq", "≔"), ("eqqcolon", "≕"), ("asymp", "≍"),
            ("bowtie", "⋈"), ("frown", "⌢"), ("smile", "⌣"), ("lesssim", "≲"), ("gtrsim", "≳"),
            ("lessapprox", "⪅"), ("gtrapprox", "⪆"), ("nleq", "≰"), ("ngeq", "≱"), ("nless", "≮"),
            ("ngtr", "≯"), ("nsim", "≁"), ("ncong", "≇"), ("nsubseteq", "⊈"), ("nsupseteq", "⊉"),
            ("nprec", "⊀"), ("nsucc", "⊁"), ("npreceq", "⋠"), ("nsucceq", "⋡"),
            ("trianglelefteq", "⊴"), ("trianglerighteq", "⊵"), ("lhd", "⊲"), ("rhd", "⊳"),
            ("unlhd", "⊴"), ("unrhd", "⊵"), ("therefore", "∴"), ("because", "∵"),
            ("multimap", "⊸"), ("circeq", "≗"), ("eqsim", "≂"), ("backsim", "∽"),
            ("thicksim", "∼"), ("thickapprox", "≈"), ("pitchfork", "⋔"),
        ])
        add(.ord, [
            ("forall", "∀"), ("exists", "∃"), ("nexists", "∄"), ("neg", "¬"), ("lnot", "¬"),
            ("ldots", "…"), ("dots", "…"), ("dotsc", "…"), ("dotso", "…"), ("cdots", "⋯"),
            ("dotsb", "⋯"), ("dotsm", "⋯"), ("dotsi", "⋯"), ("vdots", "⋮"), ("ddots", "⋱"),
            ("iddots", "⋰"), ("prime", "′"),
        ])
        table["lt"] = MathOperator("<", .rel)
        table["gt"] = MathOperator(">", .rel)
        table["colon"] = MathOperator(":", .punct, [MathAttribute("lspace", "0"), MathAttribute("rspace", "0.1667em")])
        return table
    }()

    /// Delimiters: by themselves they keep their size (`stretchy="false"`, as in TeX); after
    /// `\left`, `\right`, `\big` they grow.
    static let delimiters: [String: (text: String, texClass: TeXClass)] = [
        "(": ("(", .open), ")": (")", .close), "[": ("[", .open), "]": ("]", .close),
        "{": ("{", .open), "}": ("}", .close), "lbrace": ("{", .open), "rbrace": ("}", .close),
        "lbrack": ("[", .open), "rbrack": ("]", .close),
        "langle": ("⟨", .open), "rangle": ("⟩", .close), "<": ("⟨", .open), ">": ("⟩", .close),
        "lfloor": ("⌊", .open), "rfloor": ("⌋", .close), "lceil": ("⌈", .open), "rceil": ("⌉", .close),
        "llbracket": ("⟦", .open), "rrbracket": ("⟧", .close), "lgroup": ("⟮", .open), "rgroup": ("⟯", .close),
        "lvert": ("|", .open), "rvert": ("|", .close), "lVert": ("‖", .open), "rVert": ("‖", .close),
        "|": ("|", .ord), "vert": ("|", .ord), "Vert": ("‖", .ord), "‖": ("‖", .ord),
        "/": ("/", .ord), "backslash": ("\\", .ord),
        "uparrow": ("↑", .rel), "downarrow": ("↓", .rel), "updownarrow": ("↕", .rel),
        "Uparrow": ("⇑", .rel), "Downarrow": ("⇓", .rel),
    ]

    /// Large operators: `(symbol, takes limits under/over in display style)`.
    static let largeOperators: [String: (text: String, limits: Bool)] = [
        "sum": ("∑", true), "prod": ("∏", true), "coprod": ("∐", true), "bigcup": ("⋃", true),
        "bigcap": ("⋂", true), "bigvee": ("⋁", true), "bigwedge": ("⋀", true),
        "bigoplus": ("⨁", true), "bigotimes": ("⨂", true), "bigodot": ("⨀", true),
        "biguplus": ("⨄", true), "bigsqcup": ("⨆", true), "intop": ("∫", true),
        "int": ("∫", false), "iint": ("∬", false), "iiint": ("∭", false), "oint": ("∮", false),
        "oiint": ("∯", false), "smallint": ("∫", false),
    ]

    /// Named operators written upright: `(name, takes limits under in display style)`.
    static let namedOperators: [String: (text: String, limits: Bool)] = {
        var table: [String: (text: String, limits: Bool)] = [
            "lim": ("lim", true), "limsup": ("lim\u{2009}sup", true), "liminf": ("lim\u{2009}inf", true),
            "max": ("max", true), "min": ("min", true), "sup": ("sup", true), "inf": ("inf", true),
            "det": ("det", true), "Pr": ("Pr", true), "gcd": ("gcd", true),
            "argmin": ("arg\u{2009}min", true), "argmax": ("arg\u{2009}max", true),
        ]
        for name in ["log", "ln", "lg", "exp", "sin", "cos", "tan", "cot", "sec", "csc", "arcsin",
                     "arccos", "arctan", "sinh", "cosh", "tanh", "coth", "arg", "deg", "dim", "hom",
                     "ker", "tr", "Tr", "diag", "sign", "sgn", "rank", "Var", "Cov"] {
            table[name] = (name, false)
        }
        return table
    }()

    /// Spacing commands and their widths.
    static let spaces: [String: String] = [
        ",": "0.1667em", "thinspace": "0.1667em", ":": "0.2222em", ">": "0.2222em",
        "medspace": "0.2222em", ";": "0.2778em", "thickspace": "0.2778em", "!": "-0.1667em",
        "negthinspace": "-0.1667em", "quad": "1em", "qquad": "2em", "enspace": "0.5em",
    ]

    /// Accents: `(mark, stretches with its base, goes under)`.
    static let accents: [String: (mark: String, stretchy: Bool, under: Bool)] = [
        "hat": ("^", false, false), "widehat": ("^", true, false),
        "tilde": ("~", false, false), "widetilde": ("~", true, false),
        "bar": ("¯", false, false), "overline": ("‾", true, false),
        "dot": ("˙", false, false), "ddot": ("¨", false, false),
        "vec": ("→", false, false), "overrightarrow": ("→", true, false),
        "overleftarrow": ("←", true, false), "check": ("ˇ", false, false),
        "breve": ("˘", false, false), "acute": ("´", false, false), "grave": ("`", false, false),
        "mathring": ("˚", false, false), "underline": ("_", true, true),
    ]

    /// `\not` before these relations gives the negated character.
    static let negations: [String: String] = [
        "=": "≠", "<": "≮", ">": "≯", "in": "∉", "ni": "∌", "subset": "⊄", "supset": "⊅",
        "subseteq": "⊈", "supseteq": "⊉", "le": "≰", "leq": "≰", "ge": "≱", "geq": "≱",
        "equiv": "≢", "sim": "≁", "simeq": "≄", "approx": "≉", "cong": "≇", "mid": "∤",
        "parallel": "∦", "prec": "⊀", "succ": "⊁", "preceq": "⋠", "succeq": "⋡", "vdash": "⊬",
        "exists": "∄",
    ]

    /// Fonts switched by `\mathbf{…}` and friends.
    static let fonts: [String: MathFont] = [
        "mathbf": .bold, "boldsymbol": .boldItalic, "bm": .boldItalic, "mathbb": .doubleStruck,
        "mathcal": .script, "mathscr": .script, "mathfrak": .fraktur, "mathrm": .roman,
        "mathit": .italic, "mathsf": .sansSerif, "mathtt": .monospace, "mathnormal": .italic,
    ]

    /// Old-style font switches, in force to the end of the group: `{\rm d}x`.
    static let fontSwitches: [String: MathFont] = [
        "rm": .roman, "bf": .bold, "it": .italic, "cal": .script, "sf": .sansSerif, "tt": .monospace,
    ]

    /// Delimiter sizes of `\big` … `\Bigg`.
    static let bigSizes: [String: String] = ["big": "1.2em", "Big": "1.623em", "bigg": "2.047em", "Bigg": "2.470em"]

    /// The class of a character typed directly, such as `≤` or `∑`.
    static let classOfCharacter: [String: TeXClass] = {
        var table: [String: TeXClass] = [:]
        for op in operators.values { table[op.text] = op.texClass }
        for (text, _) in largeOperators.values { table[text] = .largeOp }
        return table
    }()
}
