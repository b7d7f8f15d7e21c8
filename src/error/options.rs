//! authorized_keys options (`options.*`), as sshd(8) reads them.

use super::Snippet;

const fn option_value_code(option: &str) -> &'static str {
    // Option names are the &'static names of the option table.
    match option.as_bytes() {
        b"environment" => "options.environment.invalid",
        b"from" => "options.from.invalid",
        b"permitopen" => "options.permitopen.invalid",
        b"permitlisten" => "options.permitlisten.invalid",
        b"principals" => "options.principals.invalid",
        b"expiry-time" => "options.expiry_time.invalid",
        b"tunnel" => "options.tunnel.invalid",
        b"command" => "options.command.invalid",
        _ => "options.invalid",
    }
}

/// Why an authorized_keys option string is refused.
///
/// Each variant has a stable machine code, see [`OptionError::code`].
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum OptionError {
    /// Options with a quote that is never closed.
    #[error("the options have an unterminated double quote")]
    UnterminatedQuote,
    /// Typographic quotes where sshd needs `"`.
    #[error("the options use a typographic quote ({0}); sshd needs a plain ASCII double quote (\")")]
    TypographicQuote(char),
    /// An empty option: a leading, doubled or trailing comma.
    #[error("empty option: remove the leading, doubled or trailing comma")]
    Empty,
    /// An option sshd does not know.
    #[error("unknown option '{0}'")]
    Unknown(Snippet),
    /// An option that needs `="value"` has none.
    #[error("option {0} needs a value: {0}=\"...\"")]
    MissingValue(&'static str),
    /// An option value without double quotes.
    #[error("the value of option {0} must be in double quotes: {0}=\"...\"")]
    Unquoted(&'static str),
    /// A flag option given a value.
    #[error("option {0} takes no value")]
    UnexpectedValue(&'static str),
    /// Something other than `,` after an option.
    #[error("expected ',' or the end of the options after option {0}")]
    Syntax(&'static str),
    /// An option that may appear once appears twice.
    #[error("option {0} appears more than once")]
    Duplicate(&'static str),
    /// More `environment` or `permitopen`/`permitlisten` options than sshd takes.
    #[error("too many {0} options")]
    TooMany(&'static str),
    /// An option value holding a control character or bytes that are not
    /// UTF-8 (strict policy).
    #[error(
        "the value of option {0} holds a control character or bytes that are not UTF-8, which sshd passes on as they are; remove them"
    )]
    ValueText(&'static str),
    /// An option value sshd rejects or that can never match.
    #[error("invalid value for option {option}: {reason}")]
    Value {
        /// The option.
        option: &'static str,
        /// What is wrong.
        reason: &'static str,
    },
}

impl OptionError {
    /// The stable machine code. Codes never change meaning once published.
    pub const fn code(&self) -> &'static str {
        match self {
            OptionError::UnterminatedQuote => "options.quote.unterminated",
            OptionError::TypographicQuote(_) => "options.quote.typographic",
            OptionError::Empty => "options.empty",
            OptionError::Unknown(_) => "options.unknown",
            OptionError::MissingValue(_) => "options.value.missing",
            OptionError::Unquoted(_) => "options.value.unquoted",
            OptionError::UnexpectedValue(_) => "options.value.unexpected",
            OptionError::Syntax(_) => "options.syntax",
            OptionError::Duplicate(_) => "options.duplicate",
            OptionError::TooMany(_) => "options.too_many",
            OptionError::Value { option, .. } => option_value_code(option),
            OptionError::ValueText(_) => "options.value.text",
        }
    }
}
