"""Lists the external commands that the project's shell and Python scripts run, so a test can
check each one is a builtin, a function of the scripts, a project script or a command that
scripts/required-commands names (and scripts/install-deps therefore installs).

Usage: /usr/bin/python3 used_commands.py REPO   prints "file:line<TAB>kind<TAB>word" lines, kind
being `command` (a word in command position) or `function` (a function the sources define).

This is a small shell lexer, not a full parser: it knows quotes, comments, here-documents,
command and process substitution, [[ ]] and (( )), case patterns, array assignments and the
wrappers that run their argument as a command (timeout, sudo, env, flock...). It is deliberately
strict: a word it cannot place is reported, so a mistake shows up as a test failure to fix
here rather than as a missed command. Standard library only.
"""
import os
import re
import sys

# Directories scanned, relative to the repository; build products and vendored code are not.
SCAN_DIRS = ['scripts', 'tests', 'bench', '.ci']
SKIP_DIRS = {'node_modules', '.git', 'build', '__pycache__'}
SHELL_EXT = ('.sh',)
PY_EXT = ('.py',)

# Words after which the next word is again in command position.
KEYWORDS_BEFORE_COMMAND = {'then', 'do', 'else', 'elif', 'if', 'while', 'until', '!', 'time', '{', '}'}
OPERATORS = {';', '&&', '||', '|', '|&', '&', '(', ')', '\n', ';;', ';&', ';;&'}

# Commands that run their (first non-option) argument as a command, and how many non-option
# arguments come before that command.
WRAPPERS = {'timeout': 1, 'sudo': 0, 'exec': 0, 'command': 0, 'nohup': 0, 'setsid': 0,
            'env': 0, 'nice': 0, 'flock': 1, 'xargs': 0, 'builtin': 0, 'stdbuf': 0,
            'ionice': 0, 'time': 0, 'unbuffer': 0}
# Options of wrappers that take a separate value (so the value is not taken for the command).
WRAPPER_OPTS_WITH_VALUE = {'-s', '-k', '-n', '-u', '-g', '-w', '-I', '-d', '-E', '-c'}


class Lexer:
    """Splits shell text into (line, kind, text) tokens: kind is 'word', 'op' or 'redir'.
    Command and process substitutions are lexed separately into `self.nested` (each a token
    list of its own, in which the first word is in command position)."""

    def __init__(self, text, first_line=1):
        self.s = text
        self.i = 0
        self.line = first_line
        self.tokens = []
        self.nested = []
        self.heredocs = []  # pending (delimiter, strip_tabs, quoted) until the next newline

    def peek(self, k=0):
        j = self.i + k
        return self.s[j] if j < len(self.s) else ''

    def advance(self, n=1):
        for _ in range(n):
            if self.i < len(self.s) and self.s[self.i] == '\n':
                self.line += 1
            self.i += 1

    def run(self, until=None):
        """Lexes up to the end, or up to an unmatched `until` (')' of a substitution)."""
        depth = 0
        while self.i < len(self.s):
            c = self.peek()
            if c in ' \t':
                self.advance()
            elif c == '\\' and self.peek(1) == '\n':
                self.advance(2)
            elif c == '#':
                while self.i < len(self.s) and self.peek() != '\n':
                    self.advance()
            elif c == '\n':
                self.tokens.append((self.line, 'op', '\n'))
                self.advance()
                self.read_heredoc_bodies()
            elif until and c == ')' and depth == 0:
                return
            elif c in '<>' and self.peek(1) == '(':
                self.advance(2)
                self.substitution(')')
                self.tokens.append((self.line, 'word', '<(...)'))
            elif c in '<>' or (c == '&' and self.peek(1) == '>'):
                self.redirection()
            elif c in ';|&()':
                op = self.operator()
                if op == '(':
                    depth += 1
                elif op == ')':
                    depth -= 1
            else:
                self.word()

    def operator(self):
        for op in (';;&', ';;', ';&', '&&', '||', '|&', ';', '|', '&', '(', ')'):
            if self.s.startswith(op, self.i):
                self.tokens.append((self.line, 'op', op))
                self.advance(len(op))
                return op
        raise AssertionError('unreachable')

    def redirection(self):
        start = self.i
        if self.s.startswith('<<<', self.i):
            self.advance(3)  # a here-string: the word that follows is data
            self.tokens.append((self.line, 'redir', '<<<'))
            return
        while self.peek() in '<>&-' and self.peek():
            if self.s.startswith('<<', self.i):
                self.advance(2)
                strip = self.peek() == '-'
                if strip:
                    self.advance()
                self.here_document(strip)
                return
            self.advance()
        self.tokens.append((self.line, 'redir', self.s[start:self.i]))

    def here_document(self, strip_tabs):
        while self.peek() in ' \t':
            self.advance()
        start = self.word_start = self.i
        self.skip_word_text()
        raw = self.s[start:self.i]
        delim = raw.replace("'", '').replace('"', '').replace('\\', '')
        self.heredocs.append((delim, strip_tabs, raw != delim))
        self.tokens.append((self.line, 'heredoc', delim))

    def read_heredoc_bodies(self):
        """The bodies of the here-documents opened on the line just ended. An unquoted body's
        command substitutions run, so they are lexed; the rest is data."""
        pending, self.heredocs = self.heredocs, []
        for delim, strip_tabs, quoted in pending:
            body_line = self.line
            lines = []
            while self.i < len(self.s):
                end = self.s.find('\n', self.i)
                end = len(self.s) if end < 0 else end
                text = self.s[self.i:end]
                self.advance(end - self.i + 1)
                if (text.lstrip('\t') if strip_tabs else text) == delim:
                    break
                lines.append(text)
            body = '\n'.join(lines)
            self.tokens.append((body_line, 'heredoc_body', body))
            if not quoted:
                for m in re.finditer(r'\$\(', body):
                    sub = Lexer(body[m.end():], body_line + body.count('\n', 0, m.start()))
                    sub.run(until=')')
                    self.nested.append(sub.tokens)
                    self.nested.extend(sub.nested)

    def substitution(self, close):
        sub = Lexer(self.s, self.line)
        sub.i = self.i
        sub.run(until=close)
        self.nested.append(sub.tokens)
        self.nested.extend(sub.nested)
        while self.i < sub.i:
            self.advance()
        self.advance()  # the closing ')'

    def skip_balanced(self, opening, closing):
        """Skips from just after `opening` to just after its matching `closing`, minding quotes."""
        depth = 1
        while self.i < len(self.s) and depth:
            c = self.peek()
            if c == '\\':
                self.advance(2)
                continue
            if c == "'":
                self.single_quoted()
                continue
            if c == '"':
                self.double_quoted()
                continue
            if c == '#' and self.i > 0 and self.s[self.i - 1] in ' \t\n':
                while self.i < len(self.s) and self.peek() != '\n':
                    self.advance()  # a comment, as inside an array's list
                continue
            if self.s.startswith(opening, self.i):
                depth += 1
                self.advance(len(opening))
                continue
            if self.s.startswith(closing, self.i):
                depth -= 1
                self.advance(len(closing))
                continue
            self.advance()

    def single_quoted(self):
        self.advance()
        while self.i < len(self.s) and self.peek() != "'":
            self.advance()
        self.advance()

    def double_quoted(self):
        self.advance()
        while self.i < len(self.s) and self.peek() != '"':
            if self.peek() == '\\':
                self.advance(2)
            elif self.s.startswith('$((', self.i):
                self.advance(3)
                self.skip_balanced('((', '))')
            elif self.s.startswith('$(', self.i):
                self.advance(2)
                self.substitution(')')
            elif self.peek() == '`':
                self.backquoted()
            else:
                self.advance()
        self.advance()

    def backquoted(self):
        self.advance()
        start, line = self.i, self.line
        while self.i < len(self.s) and self.peek() != '`':
            self.advance(2 if self.peek() == '\\' else 1)
        sub = Lexer(self.s[start:self.i], line)
        sub.run()
        self.nested.append(sub.tokens)
        self.nested.extend(sub.nested)
        self.advance()

    def skip_word_text(self):
        """Advances over one word (quotes, expansions and substitutions included)."""
        while self.i < len(self.s):
            c = self.peek()
            if c in ' \t\n;|&<>()':
                # An array assignment NAME=( ... ) keeps its list in the word.
                if c == '(' and re.fullmatch(r'[A-Za-z_][A-Za-z0-9_]*(\[[^]]*\])?\+?=',
                                             self.s[self.word_start:self.i]):
                    self.advance()
                    self.skip_balanced('(', ')')
                    continue
                return
            if c == '\\':
                self.advance(2)
            elif c == "'":
                self.single_quoted()
            elif c == '"':
                self.double_quoted()
            elif c == '`':
                self.backquoted()
            elif self.s.startswith('$((', self.i):
                self.advance(3)
                self.skip_balanced('((', '))')
            elif self.s.startswith('$(', self.i):
                self.advance(2)
                self.substitution(')')
            elif self.s.startswith('${', self.i):
                self.advance(2)
                self.skip_balanced('{', '}')
            else:
                self.advance()

    def word(self):
        line = self.line
        self.word_start = self.i
        # [[ ... ]] and (( ... )) hold expressions, not commands: one opaque word each.
        for opening, closing in (('[[', ']]'), ('((', '))')):
            if self.s.startswith(opening, self.i) and (opening == '((' or self.peek(2) in ' \t'):
                self.advance(2)
                self.skip_balanced(opening, closing)
                self.tokens.append((line, 'word', opening + closing))
                return
        self.skip_word_text()
        text = self.s[self.word_start:self.i]
        # A file-descriptor number right before a redirection ("2>&1") belongs to it.
        if re.fullmatch(r'\d+|\{\w+\}', text) and self.peek() in '<>':
            self.redirection()
            return
        self.tokens.append((line, 'word', text))


def unquote(word):
    return word.replace('"', '').replace("'", '')


def command_words(tokens):
    """Yields (line, word) for each word in command position, and (line, None, name) for each
    function defined, walking one token list."""
    at_command = True
    case_state = []  # a stack: 'subject', 'in', 'pattern' or 'body' per open case
    wrapper_args = None  # while inside a wrapper's arguments: non-option words still to skip
    i = 0
    while i < len(tokens):
        line, kind, text = tokens[i]
        if kind in ('heredoc', 'heredoc_body'):
            i += 1
            continue
        if kind == 'redir':
            i += 2 if i + 1 < len(tokens) and tokens[i + 1][1] == 'word' else 1
            continue
        if kind == 'op':
            if case_state and case_state[-1] == 'pattern':
                if text == ')':
                    case_state[-1] = 'body'
                    at_command = True
                i += 1
                continue
            if case_state and case_state[-1] == 'body' and text in (';;', ';&', ';;&'):
                case_state[-1] = 'pattern'
            at_command = text in OPERATORS
            wrapper_args = None
            i += 1
            continue
        # A word.
        if case_state and case_state[-1] == 'subject':
            case_state[-1] = 'in'
            i += 1
            continue
        if case_state and case_state[-1] == 'in' and text == 'in':
            case_state[-1] = 'pattern'
            i += 1
            continue
        if case_state and case_state[-1] == 'pattern':
            if text == 'esac':
                case_state.pop()
                at_command = False
            i += 1
            continue
        if case_state and case_state[-1] == 'body' and text == 'esac' and at_command:
            case_state.pop()
            at_command = False
            i += 1
            continue
        if wrapper_args is not None:
            i, at_command, wrapper_args = wrapper_step(tokens, i, wrapper_args)
            continue
        if not at_command:
            i += 1
            continue
        # A function definition: NAME ( ) or `function NAME`.
        if (i + 2 < len(tokens) and tokens[i + 1][2] == '(' and tokens[i + 2][2] == ')'):
            yield line, None, text
            i += 3
            at_command = True
            continue
        if text == 'function' and i + 1 < len(tokens):
            yield line, None, tokens[i + 1][2]
            i += 2
            at_command = True
            continue
        if re.fullmatch(r'[A-Za-z_][A-Za-z0-9_]*(\[[^]]*\])?\+?=.*', text, re.S):
            i += 1  # an assignment before the command: the command is still to come
            continue
        if text == 'case':
            case_state.append('subject')
            at_command = False
            i += 1
            continue
        if text in ('for', 'select'):
            # for NAME in WORDS; do ...: no command until `do`.
            at_command = False
            i += 1
            continue
        if text in KEYWORDS_BEFORE_COMMAND:
            i += 1
            continue
        yield line, text
        at_command = False
        name = unquote(text)
        if name in WRAPPERS or name in ('$SUDO', '${SUDO}'):
            wrapper_args = {'name': name, 'skip': WRAPPERS.get(name, 0)}
            if name == 'command' and i + 1 < len(tokens) and tokens[i + 1][2] in ('-v', '-V'):
                wrapper_args = None  # `command -v X` asks whether X exists: it does not run it
            if name == 'exec' and i + 1 < len(tokens) and tokens[i + 1][1] == 'redir':
                wrapper_args = None
        i += 1


def wrapper_step(tokens, i, state):
    """One word after a wrapper: options are skipped, then `skip` non-option words, then the
    next word is a command. Returns (next index, at_command, state)."""
    text = tokens[i][2]
    if text.startswith('-') and not state.get('after_options'):
        if text in WRAPPER_OPTS_WITH_VALUE and not text.startswith('--'):
            return i + 2, False, state
        return i + 1, False, state
    if state['name'] == 'env' and re.fullmatch(r'[A-Za-z_][A-Za-z0-9_]*=.*', text, re.S):
        return i + 1, False, state
    if state['skip'] > 0:
        state['skip'] -= 1
        return i + 1, False, state
    return i, True, None


def shell_commands(text):
    lexer = Lexer(text)
    lexer.run()
    seen = []
    for tokens in [lexer.tokens] + lexer.nested:
        seen.extend(command_words(tokens))
    return seen


# argv lists: a list literal passed to a call, returned, or assigned to cmd/argv/command/args
# (["sysbench", ...]); and *_BIN defaults. Other list literals are data.
PY_ARGV = re.compile(r'(?:\(|\breturn|\b(?:cmd|argv|command|args)\s*=)\s*\[\s*"([A-Za-z0-9_./+-]+)"\s*,')
PY_BIN_DEFAULT = re.compile(r'_BIN",\s*"([A-Za-z0-9_./+-]+)"')


def python_commands(text):
    found = []
    for n, line in enumerate(text.splitlines(), 1):
        for rx in (PY_ARGV, PY_BIN_DEFAULT):
            for m in rx.finditer(line):
                found.append((n, m.group(1)))
    return found


def shebang_command(text):
    first = text.split('\n', 1)[0]
    if not first.startswith('#!'):
        return None
    parts = first[2:].split()
    if parts and parts[0] == '/usr/bin/env' and len(parts) > 1:
        return parts[1]
    return parts[0] if parts else None


def kind_of(path, text):
    if path.endswith(SHELL_EXT):
        return 'shell'
    if path.endswith(PY_EXT):
        return 'python'
    interpreter = shebang_command(text) or ''
    if interpreter.endswith(('bash', '/sh')) or interpreter == 'sh':
        return 'shell'
    if 'python' in interpreter:
        return 'python'
    return None


def sources(repo):
    for top in SCAN_DIRS:
        for root, dirs, files in os.walk(os.path.join(repo, top)):
            dirs[:] = sorted(d for d in dirs if d not in SKIP_DIRS)
            for f in sorted(files):
                path = os.path.join(root, f)
                try:
                    with open(path, encoding='utf-8') as fh:
                        text = fh.read()
                except (UnicodeDecodeError, OSError):
                    continue
                kind = kind_of(path, text)
                if kind:
                    yield os.path.relpath(path, repo), kind, text


def main():
    repo = sys.argv[1]
    for rel, kind, text in sources(repo):
        shebang = shebang_command(text)
        if shebang:
            print(f'{rel}:1\tcommand\t{shebang}')
        if kind == 'shell':
            for item in shell_commands(text):
                if item[1] is None:
                    print(f'{rel}:{item[0]}\tfunction\t{item[2]}')
                else:
                    print(f'{rel}:{item[0]}\tcommand\t{item[1]}')
        else:
            for line, word in python_commands(text):
                print(f'{rel}:{line}\tcommand\t{word}')


if __name__ == '__main__':
    main()
