use crate::util::Work;

#[test]
fn schema_is_json_and_names_the_fields() {
    let w = Work::new();
    let out = w.run(&["schema"]).expect_code(0).stdout();
    let v: serde_json::Value = serde_json::from_str(&out).expect("JSON");
    let props = v["properties"].as_object().expect("properties");
    for f in ["id", "source", "doc_symbol", "issued_date", "recipients", "text", "field_confidence", "review"]
    {
        assert!(props.contains_key(f), "{f} missing");
    }
}
