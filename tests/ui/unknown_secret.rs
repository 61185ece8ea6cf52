arazzo::arazzo_workflow!(
    "../../workflows/mixpanel.yml",
    secrets = ["projectTokn", "identity-resolve-and-track.nope", "other.projectToken"]
);

fn main() {}
