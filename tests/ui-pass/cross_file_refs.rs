// An OpenAPI 3.0 document in JSON whose path parameter and response schema live in another
// (YAML) file, with `allOf`, `nullable`, a string enum and server variables.
arazzo::arazzo_workflow!("../fixtures/petstore/pets.arazzo.yaml");

#[allow(dead_code)]
fn types(step: read_pet::GetPetOutputs) {
    let _: String = step.name; // required by the `allOf` part that defines it
    let _: read_pet::GetPetStatus = step.status; // enum [available, sold], required
    let _: Option<String> = step.nickname; // nullable
    let _ = read_pet::Inputs {
        pet_id: 7_i64,
        trace: None::<String>,
    };
    let _ = Client::builder().pets_bearer("token");
}

fn main() {}
