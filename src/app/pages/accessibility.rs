//! "/accessibilite": the accessibility statement (SPEC §2, RGAA 4.1).

use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn AccessibilityStatement() -> impl IntoView {
    view! {
        <Title text="Déclaration d'accessibilité"/>
        <div class="container prose">
            <h1>"Déclaration d'accessibilité"</h1>
            <p>
                "L'éditeur de cette instance s'engage à rendre e-MJPM accessible conformément à l'article 47 de la "
                "loi n° 2005-102 du 11 février 2005, selon le référentiel général d'amélioration de l'accessibilité "
                "(RGAA) version 4.1."
            </p>
            <h2>"État de conformité"</h2>
            <p>
                "e-MJPM est "<strong>"partiellement conforme"</strong>" au RGAA 4.1 : aucun audit complet n'a encore été "
                "réalisé. Chaque version est vérifiée automatiquement, dans un navigateur réel, avec et sans JavaScript."
            </p>
            <h2>"Ce qui est vérifié à chaque version"</h2>
            <ul>
                <li>"Absence d'erreur grave ou critique relevée par l'outil axe-core sur chaque page testée ;"</li>
                <li>"Langue de la page, titre unique, un seul titre de premier niveau et un lien « Aller au contenu » ;"</li>
                <li>"Étiquette visible pour chaque champ, erreurs annoncées et reliées à leur champ ;"</li>
                <li>"Champ de recherche de commune utilisable au clavier (flèches, Entrée, Échap) et nombre de résultats annoncé ;"</li>
                <li>"Fonctionnement complet sans JavaScript, pour les navigateurs anciens."</li>
            </ul>
            <h2>"Technologies utilisées"</h2>
            <p>"HTML5, CSS, WebAssembly (facultatif : chaque page fonctionne sans)."</p>
            <h2>"Retour d'information et contact"</h2>
            <p>
                "Si vous ne parvenez pas à accéder à un contenu ou à un service, contactez l'équipe qui administre "
                "cette instance pour être orienté vers une alternative accessible."
            </p>
            <h2>"Voies de recours"</h2>
            <p>
                "Si vous avez signalé un défaut d'accessibilité sans obtenir de réponse satisfaisante, vous pouvez "
                "saisir le Défenseur des droits : par son formulaire en ligne, par l'un de ses délégués dans votre "
                "région, ou par courrier gratuit (Défenseur des droits, Libre réponse 71120, 75342 Paris CEDEX 07)."
            </p>
        </div>
    }
}
