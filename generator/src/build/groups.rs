//! Operations grouped by the document's tags: each group becomes a module
//! of `operations` and, when there are several, a cargo feature, so that a
//! user of a big API compiles only the groups they use (`reach.rs` gates the
//! types the same way).

use openapiv3::OpenAPI;

use std::collections::{BTreeSet, HashMap};

use crate::model::{Group, Operation};
use crate::names::{self, Namespace};

/// The group of operations without a tag, in a document whose other
/// operations have one.
const UNTAGGED: &str = "untagged";

/// The cargo features every generated crate may declare itself
/// (`templates/Cargo.toml.tera`): a group's feature must not take one.
/// `tests/codegen.rs` checks this list against the template.
pub const RESERVED_FEATURES: &[&str] =
    &["default", "http2", "oauth2", "testing", "ring", "aws-lc-rs"];

/// The groups, as operations claim them.
pub struct Groups {
    /// Declared tags (with their descriptions), then tags only operations
    /// name.
    tags: Vec<(String, Option<String>)>,
    /// The tags operations claimed (indices in `tags`), in the order they
    /// were first claimed: the groups' order, which follows the paths, not
    /// the `tags` list, so that a document split into several files (whose
    /// `tags` lists merge in file order) gives the same crate.
    order: Vec<usize>,
    /// Whether some operation has a tag.
    tagged: bool,
}

impl Groups {
    pub fn new(doc: &OpenAPI) -> Self {
        let tags: Vec<(String, Option<String>)> = doc
            .tags
            .iter()
            .map(|t| (t.name.clone(), t.description.clone()))
            .collect();
        Groups {
            order: Vec::new(),
            tags,
            tagged: false,
        }
    }

    /// The group of an operation with these tags (its first one counts).
    pub fn claim(&mut self, tags: &[String]) -> usize {
        self.tagged |= !tags.is_empty();
        let tag = tags.first().map_or(UNTAGGED, String::as_str);
        let index = match self.tags.iter().position(|(name, _)| name == tag) {
            Some(index) => index,
            None => {
                let description = tags
                    .is_empty()
                    .then(|| "The operations the document gives no tag.".to_string());
                self.tags.push((tag.to_string(), description));
                self.tags.len() - 1
            }
        };
        if !self.order.contains(&index) {
            self.order.push(index);
        }
        index
    }

    /// The groups operations claimed, named, and how each claimed index
    /// maps to its place among them. No group at all when no operation
    /// has a tag: such an API is one flat module.
    pub fn finish(self) -> (Vec<Group>, Vec<Option<usize>>) {
        if !self.tagged {
            return (Vec::new(), vec![None; self.tags.len()]);
        }
        let mut modules = Namespace::with_reserved(&[]);
        let mut features = Namespace::with_reserved(RESERVED_FEATURES);
        let mut groups = Vec::new();
        let mut index = vec![None; self.tags.len()];
        for &claimed in &self.order {
            let (tag, description) = &self.tags[claimed];
            let module = modules.claim(&names::snake(tag));
            let feature = features.claim(&feature_name(&module));
            index[claimed] = Some(groups.len());
            groups.push(Group {
                tag: tag.clone(),
                module,
                feature,
                description: description.clone(),
            });
        }
        (groups, index)
    }
}

/// Fills each flow's `needs`: the groups of its steps' operations, when
/// they are not the flow's own.
pub fn flow_needs(operations: &mut [Operation]) {
    let group_of: HashMap<String, Option<usize>> = operations
        .iter()
        .map(|op| (op.id.clone(), op.group))
        .collect();
    for op in operations {
        let own = op.group;
        for flow in &mut op.flows {
            let needs: BTreeSet<usize> = flow
                .then
                .iter()
                .filter_map(|step| group_of.get(&step.operation).copied().flatten())
                .filter(|g| Some(*g) != own)
                .collect();
            flow.needs = needs.into_iter().collect();
        }
    }
}

/// `named_versions` → `named-versions`; a cargo feature name starts with a
/// letter or digit.
fn feature_name(module: &str) -> String {
    let name = module.trim_matches('_').replace('_', "-");
    if name.starts_with(|c: char| c.is_ascii_alphanumeric()) {
        name
    } else {
        format!("tag-{name}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(yaml: &str) -> OpenAPI {
        serde_yaml::from_str(yaml).unwrap()
    }

    #[test]
    fn groups_come_in_the_order_operations_name_them() {
        let doc = doc("openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\ntags:\n  - {name: Named Versions, description: Milestones}\n  - {name: Unused}\n");
        let mut groups = Groups::new(&doc);
        let claims = [
            groups.claim(&["Pets".into()]),
            groups.claim(&["Named Versions".into(), "Pets".into()]),
            groups.claim(&[]),
            groups.claim(&["default".into()]),
        ];
        let (groups, index) = groups.finish();
        let named: Vec<(&str, &str, &str)> = groups
            .iter()
            .map(|g| (g.tag.as_str(), g.module.as_str(), g.feature.as_str()))
            .collect();
        assert_eq!(
            named,
            [
                ("Pets", "pets", "pets"),
                ("Named Versions", "named_versions", "named-versions"),
                ("untagged", "untagged", "untagged"),
                // A feature name the crate declares itself is not taken.
                ("default", "default", "default_2"),
            ]
        );
        assert_eq!(groups[1].description.as_deref(), Some("Milestones"));
        // A declared tag no operation has is no group.
        assert!(groups.iter().all(|g| g.tag != "Unused"));
        let mapped: Vec<Option<usize>> = claims.iter().map(|&c| index[c]).collect();
        assert_eq!(mapped, [Some(0), Some(1), Some(2), Some(3)]);
    }

    #[test]
    fn an_api_without_tags_has_no_groups() {
        let doc = doc("openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\n");
        let mut groups = Groups::new(&doc);
        let claim = groups.claim(&[]);
        let (groups, index) = groups.finish();
        assert!(groups.is_empty());
        assert_eq!(index[claim], None);
    }

    #[test]
    fn feature_names_start_with_a_letter_or_digit() {
        assert_eq!(feature_name("_1st"), "1st");
        assert_eq!(feature_name("type_"), "type");
        assert_eq!(feature_name("a_b"), "a-b");
    }
}
