use crate::util::Work;

#[test]
fn completions_generate_for_every_shell() {
    let w = Work::new();
    for (shell, marker) in [
        ("bash", "_sohoa()"),
        ("zsh", "#compdef sohoa"),
        ("fish", "complete -c sohoa"),
        ("powershell", "Register-ArgumentCompleter"),
    ] {
        let out = w.run(&["completions", shell]).expect_code(0).stdout();
        assert!(out.contains(marker), "{shell}: {}", &out[..out.len().min(300)]);
        assert!(out.contains("retry-failed"), "{shell} completion lacks scan flags");
    }
}
