//! Which Go a dev container gets: from an image reference
//! (`mcr.microsoft.com/devcontainers/go:1-1.22-bookworm`, `golang:1.23`),
//! the Go feature's `version` option, or a Dockerfile's `FROM`. Pure: text
//! in, versions out.

use crate::goenv::version::GoVersion;

/// The Go an image reference names, as far as its tag says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ImageGo {
    /// A Go image whose tag names a Go version: the version and the byte
    /// range of that version inside the reference (for an edit).
    Version {
        version: GoVersion,
        start: usize,
        end: usize,
    },
    /// A Go image whose tag floats (`golang:1`, `golang:latest`,
    /// `golang:bookworm`, no tag, a digest): the newest Go when it was
    /// pulled, which gord cannot know.
    Floating,
    /// Not an image gord knows to carry Go.
    NotGo,
}

/// Repositories that carry Go in their image, without registry prefix noise:
/// the Docker official image and the dev container images.
const GO_REPOSITORIES: &[&str] = &[
    "golang",
    "library/golang",
    "docker.io/golang",
    "docker.io/library/golang",
    "index.docker.io/library/golang",
    "mcr.microsoft.com/devcontainers/go",
    "mcr.microsoft.com/vscode/devcontainers/go",
];

/// The dev container images, built with the Go feature: their metadata
/// already asks for what Delve needs and installs the Go extension.
const DEVCONTAINER_REPOSITORIES: &[&str] = &[
    "mcr.microsoft.com/devcontainers/go",
    "mcr.microsoft.com/vscode/devcontainers/go",
];

/// Splits `repository[:tag][@digest]`; the tag is after the last `:` that
/// follows the last `/` (a registry port is not a tag).
fn split_reference(reference: &str) -> (&str, Option<(usize, &str)>, bool) {
    let (name, digest) = match reference.split_once('@') {
        Some((name, _)) => (name, true),
        None => (reference, false),
    };
    let slash = name.rfind('/').map_or(0, |i| i + 1);
    match name[slash..].rfind(':') {
        Some(colon) => {
            let at = slash + colon;
            (&name[..at], Some((at + 1, &name[at + 1..])), digest)
        }
        None => (name, None, digest),
    }
}

/// Whether `reference` is one of the dev container Go images.
pub fn is_devcontainer_go_image(reference: &str) -> bool {
    let (repository, _, _) = split_reference(reference.trim());
    DEVCONTAINER_REPOSITORIES
        .iter()
        .any(|r| r.eq_ignore_ascii_case(repository))
}

/// The Go version an image reference names. Tags are dash-separated words;
/// the Go version is the first word with a dot (`1-1.22-bookworm` is image
/// release 1 with Go 1.22; `1.23.4-alpine3.20` is Go 1.23.4).
pub fn image_go(reference: &str) -> ImageGo {
    let (repository, tag, _digest) = split_reference(reference);
    if !GO_REPOSITORIES
        .iter()
        .any(|r| r.eq_ignore_ascii_case(repository))
    {
        return ImageGo::NotGo;
    }
    let Some((tag_start, tag)) = tag else {
        return ImageGo::Floating;
    };
    let mut offset = tag_start;
    for word in tag.split('-') {
        let start = offset;
        offset += word.len() + 1;
        if !word.contains('.') || !word.starts_with(|c: char| c.is_ascii_digit()) {
            continue;
        }
        // `1.23.4`, `1.22`, `1.24rc1`: the leading version; anything after
        // it in the word (`alpine3.20` is its own word) is not Go's.
        return match GoVersion::parse(word) {
            Ok(version) => ImageGo::Version {
                version,
                start,
                end: start + word.len(),
            },
            Err(_) => ImageGo::Floating,
        };
    }
    ImageGo::Floating
}

/// The Go feature's `version` option: `latest` (the default) and `none`
/// say no version; anything else is parsed.
pub fn feature_go(option: &str) -> Option<Result<GoVersion, ()>> {
    let option = option.trim();
    if option.is_empty() || option.eq_ignore_ascii_case("latest") || option == "none" {
        return None;
    }
    Some(GoVersion::parse(option).map_err(|_| ()))
}

/// Whether a features key names the Go feature
/// (`ghcr.io/devcontainers/features/go:1`, with any version or digest).
pub fn is_go_feature(id: &str) -> bool {
    let (repository, _, _) = split_reference(id.trim());
    repository.eq_ignore_ascii_case("ghcr.io/devcontainers/features/go")
}

/// What the last `FROM` of a Dockerfile says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FromLine {
    /// A plain image reference (after following stage names), and the
    /// 0-based line of the `FROM` that names it.
    Image { reference: String, line: usize },
    /// A reference gord cannot read without building: it uses a build
    /// argument (`FROM golang:${GO_VERSION}`).
    Variable { text: String, line: usize },
    /// No `FROM` at all.
    Missing,
}

/// The image the final stage of a Dockerfile starts from. Stage names
/// (`FROM golang:1.23 AS build` … `FROM build`) are followed; line
/// continuations and parser directives are not needed for `FROM`.
pub fn dockerfile_from(text: &str) -> FromLine {
    let mut stages: Vec<(Option<String>, FromLine)> = Vec::new();
    for (line_no, line) in text.lines().enumerate() {
        let line = line.trim();
        let Some(keyword) = line.split_whitespace().next() else {
            continue;
        };
        if !keyword.eq_ignore_ascii_case("FROM") {
            continue;
        }
        let words: Vec<&str> = line
            .split_whitespace()
            .skip(1)
            .filter(|w| !w.starts_with("--"))
            .collect();
        let Some(reference) = words.first() else {
            continue;
        };
        let name = match words.get(1..3) {
            Some([as_word, name]) if as_word.eq_ignore_ascii_case("AS") => {
                Some(name.to_ascii_lowercase())
            }
            _ => None,
        };
        let from = if reference.contains('$') {
            FromLine::Variable {
                text: (*reference).to_string(),
                line: line_no,
            }
        } else if let Some((_, earlier)) = stages
            .iter()
            .find(|(n, _)| n.as_deref() == Some(&reference.to_ascii_lowercase()))
        {
            earlier.clone()
        } else {
            FromLine::Image {
                reference: (*reference).to_string(),
                line: line_no,
            }
        };
        stages.push((name, from));
    }
    stages.pop().map_or(FromLine::Missing, |(_, from)| from)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn version_of(reference: &str) -> Option<String> {
        match image_go(reference) {
            ImageGo::Version {
                version,
                start,
                end,
            } => {
                assert_eq!(
                    GoVersion::parse(&reference[start..end]).ok(),
                    Some(version.clone())
                );
                Some(version.to_string())
            }
            _ => None,
        }
    }

    #[test]
    fn the_go_version_is_read_from_the_tags_of_go_images() {
        assert_eq!(
            version_of("mcr.microsoft.com/devcontainers/go:1.22").as_deref(),
            Some("go1.22")
        );
        assert_eq!(
            version_of("mcr.microsoft.com/devcontainers/go:1-1.24-bookworm").as_deref(),
            Some("go1.24")
        );
        assert_eq!(
            version_of("golang:1.23-bookworm").as_deref(),
            Some("go1.23")
        );
        assert_eq!(
            version_of("golang:1.23.4-alpine3.20").as_deref(),
            Some("go1.23.4")
        );
        assert_eq!(
            version_of("docker.io/library/golang:1.21.0@sha256:abc").as_deref(),
            Some("go1.21.0")
        );
    }

    #[test]
    fn a_tag_without_a_go_version_floats_and_other_images_are_not_go() {
        for floating in [
            "golang",
            "golang:1",
            "golang:latest",
            "golang:bookworm",
            "mcr.microsoft.com/devcontainers/go:1",
            "mcr.microsoft.com/devcontainers/go:dev",
        ] {
            assert_eq!(image_go(floating), ImageGo::Floating, "{floating}");
        }
        for other in [
            "mcr.microsoft.com/devcontainers/base:bookworm",
            "ubuntu:24.04",
            "registry.example.com:5000/golang-builder:1.22",
        ] {
            assert_eq!(image_go(other), ImageGo::NotGo, "{other}");
        }
    }

    #[test]
    fn a_registry_port_is_not_a_tag() {
        assert_eq!(
            split_reference("registry:5000/golang"),
            ("registry:5000/golang", None, false)
        );
    }

    #[test]
    fn the_go_feature_is_recognised_with_any_version_and_its_option_parsed() {
        assert!(is_go_feature("ghcr.io/devcontainers/features/go:1"));
        assert!(is_go_feature("ghcr.io/devcontainers/features/go"));
        assert!(!is_go_feature("ghcr.io/devcontainers/features/go-task:1"));
        assert_eq!(feature_go("latest"), None);
        assert_eq!(feature_go("none"), None);
        assert_eq!(
            feature_go("1.22.3"),
            Some(Ok(GoVersion::new(1, 22, Some(3))))
        );
        assert_eq!(feature_go("one point two"), Some(Err(())));
    }

    #[test]
    fn the_final_stage_of_a_dockerfile_gives_the_image_following_stage_names() {
        let text = "# syntax=docker/dockerfile:1\nFROM --platform=$BUILDPLATFORM golang:1.23 AS base\nRUN go version\nfrom base\n";
        assert_eq!(
            dockerfile_from(text),
            FromLine::Image {
                reference: "golang:1.23".into(),
                line: 1
            }
        );
        assert_eq!(
            dockerfile_from("ARG V=1.22\nFROM golang:${V}\n"),
            FromLine::Variable {
                text: "golang:${V}".into(),
                line: 1
            }
        );
        assert_eq!(
            dockerfile_from("FROM golang:1.21 AS b\nFROM ubuntu:24.04\n"),
            FromLine::Image {
                reference: "ubuntu:24.04".into(),
                line: 1
            }
        );
        assert_eq!(dockerfile_from("RUN true\n"), FromLine::Missing);
    }
}
