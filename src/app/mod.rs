//! The isomorphic user interface: rendered on the server, hydrated in the browser.

pub mod components;
pub mod layout;
pub mod pages;

use leptos::prelude::*;
use leptos_meta::{provide_meta_context, MetaTags, Stylesheet, Title};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::{path, SsrMode};

use layout::{DemoBanner, SiteFooter, SiteHeader, SkipLink};
use pages::errors::NotFound;

/// The HTML document around the app. Only the server renders it.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    #[cfg(feature = "ssr")]
    set_page_security_policy();
    view! {
        <!DOCTYPE html>
        <html lang="fr">
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <meta name="color-scheme" content="light"/>
                <link rel="icon" href="/favicon.svg" type="image/svg+xml"/>
                <AutoReload options=options.clone()/>
                <HydrationScripts options islands=true/>
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

/// Pages carry an inline hydration script: the CSP allows it by the nonce Leptos gives it.
#[cfg(feature = "ssr")]
fn set_page_security_policy() {
    use axum::http::{header, HeaderValue};
    let nonce = leptos::nonce::use_nonce().map(|n| n.to_string());
    let policy = crate::server::security::content_security_policy(nonce.as_deref());
    if let (Some(response), Ok(value)) = (
        use_context::<leptos_axum::ResponseOptions>(),
        HeaderValue::from_str(&policy),
    ) {
        response.insert_header(header::CONTENT_SECURITY_POLICY, value);
    }
}

/// Browser only: tells tests (and styles) that the page's islands are interactive. The last island of the
/// page, so the islands before it are hydrated when it is.
#[island]
fn HydrationMarker() -> impl IntoView {
    Effect::new(move |_| {
        if let Some(body) = document().body() {
            let _ = body.set_attribute("data-hydrated", "true");
        }
    });
}

/// The style sheet's address: versioned by the server (cached for good, issue 20).
fn stylesheet() -> String {
    #[cfg(feature = "ssr")]
    return crate::server::assets::versioned("pkg/emjpm.css");
    #[cfg(not(feature = "ssr"))]
    "/pkg/emjpm.css".to_owned()
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    view! {
        <Stylesheet id="leptos" href=stylesheet()/>
        <Title formatter=|text: String| format!("{text} – e-MJPM")/>
        <Router>
            <SkipLink/>
            <DemoBanner/>
            <SiteHeader/>
            <main id="contenu" tabindex="-1">
                <Routes fallback=|| view! { <NotFound/> }>
                    <Route path=path!("/") view=pages::home::HomePage ssr=SsrMode::Async/>
                    <Route path=path!("/mentions-legales") view=pages::legal::LegalNotice ssr=SsrMode::Async/>
                    <Route path=path!("/accessibilite") view=pages::accessibility::AccessibilityStatement/>
                    <Route path=path!("/documentation") view=pages::documentation::DocumentationIndex ssr=SsrMode::Async/>
                    <Route path=path!("/documentation/:guide") view=pages::documentation::GuidePage ssr=SsrMode::Async/>
                    <Route path=path!("/inscription") view=pages::signup::MandataireSignUpPage ssr=SsrMode::Async/>
                    <Route path=path!("/inscription/magistrat") view=pages::signup::MagistratSignUpPage ssr=SsrMode::Async/>
                    <Route path=path!("/inscription/confirmation") view=pages::signup::SignUpConfirmationPage/>
                    <Route path=path!("/connexion") view=pages::login::LoginPage ssr=SsrMode::Async/>
                    <Route path=path!("/mot-de-passe-oublie") view=pages::password::ForgotPasswordPage ssr=SsrMode::Async/>
                    <Route path=path!("/reinitialiser-mot-de-passe") view=pages::password::ResetPasswordPage ssr=SsrMode::Async/>
                    <Route path=path!("/compte/mot-de-passe") view=pages::password::ChangePasswordPage ssr=SsrMode::Async/>
                    <Route path=path!("/compte/double-authentification") view=pages::two_factor::TwoFactorEnrolPage ssr=SsrMode::Async/>
                    <Route path=path!("/connexion/code") view=pages::two_factor::LoginCodePage ssr=SsrMode::Async/>
                    <Route path=path!("/mandataire/mesures") view=pages::mandataire::mesures::MesuresEnCoursPage ssr=SsrMode::Async/>
                    <Route path=path!("/mandataire/mesures/nouvelle") view=pages::mandataire::mesure_form::NewMesurePage ssr=SsrMode::Async/>
                    <Route path=path!("/mandataire/mesures/eteintes") view=pages::mandataire::mesures::MesuresEteintesPage ssr=SsrMode::Async/>
                    <Route path=path!("/mandataire/mesures/en-attente") view=pages::mandataire::mesures::MesuresEnAttentePage ssr=SsrMode::Async/>
                    <Route path=path!("/mandataire/mesures/:id/modifier") view=pages::mandataire::mesure_form::EditMesurePage ssr=SsrMode::Async/>
                    <Route path=path!("/mandataire/mesures/:id/fin") view=pages::mandataire::end::EndMesurePage ssr=SsrMode::Async/>
                    <Route path=path!("/mandataire/activite/suspendre") view=pages::mandataire::activite::SuspendPage ssr=SsrMode::Async/>
                    <Route path=path!("/mandataire/mesures/:id/refuser") view=pages::mandataire::decline::DeclineMesurePage ssr=SsrMode::Async/>
                    <Route path=path!("/mandataire/mesures/:id/supprimer") view=pages::mandataire::delete::DeleteMesurePage ssr=SsrMode::Async/>
                    <Route path=path!("/mandataire/mesures/:id/accepter") view=pages::mandataire::mesure_form::AcceptMesurePage ssr=SsrMode::Async/>
                    <Route path=path!("/mandataire/import") view=pages::mandataire::import::ImportMesuresPage ssr=SsrMode::Async/>
                    <Route path=path!("/mandataire/carte") view=pages::mandataire::carte::CartePage ssr=SsrMode::Async/>
                    <Route path=path!("/mandataire/informations") view=pages::mandataire::informations::InformationsPage ssr=SsrMode::Async/>
                    <Route path=path!("/mandataire/informations/modifier") view=pages::mandataire::informations::EditProfilePage ssr=SsrMode::Async/>
                    <Route path=path!("/mandataire/informations/etablissements/ajouter") view=pages::mandataire::informations::AddEtablissementPage ssr=SsrMode::Async/>
                    <Route path=path!("/mandataire/antennes") view=pages::mandataire::service::AntennesPage ssr=SsrMode::Async/>
                    <Route path=path!("/mandataire/antennes/nouvelle") view=pages::mandataire::service::AntenneFormPage ssr=SsrMode::Async/>
                    <Route path=path!("/mandataire/antennes/:id/modifier") view=pages::mandataire::service::AntenneFormPage ssr=SsrMode::Async/>
                    <Route path=path!("/mandataire/membres") view=pages::mandataire::service::MembresPage ssr=SsrMode::Async/>
                    <Route path=path!("/invitation") view=pages::invitation::InvitationPageView ssr=SsrMode::Async/>
                    <Route path=path!("/magistrat/mandataires") view=pages::magistrat::mandataires::MandatairesPage ssr=SsrMode::Async/>
                    <Route path=path!("/magistrat/mandataires/:id") view=pages::magistrat::fiche::FichePage ssr=SsrMode::Async/>
                    <Route path=path!("/magistrat/mandataires/:id/reserver") view=|| view! { <pages::magistrat::reserve::ReservePage edit=false/> } ssr=SsrMode::Async/>
                    <Route path=path!("/magistrat/carte") view=pages::magistrat::carte::MagistratCartePage ssr=SsrMode::Async/>
                    <Route path=path!("/magistrat/mesures") view=pages::magistrat::mesures::ReservedMesuresPage ssr=SsrMode::Async/>
                    <Route path=path!("/magistrat/mesures/:id/modifier") view=|| view! { <pages::magistrat::reserve::ReservePage edit=true/> } ssr=SsrMode::Async/>
                    <Route path=path!("/magistrat/mesures/:id/annuler") view=pages::magistrat::cancel::CancelReservationPage ssr=SsrMode::Async/>
                    <Route path=path!("/magistrat/informations") view=pages::magistrat::informations::MagistratInformationsPage ssr=SsrMode::Async/>
                    <Route path=path!("/magistrat/informations/modifier") view=pages::magistrat::informations::EditMagistratProfilePage ssr=SsrMode::Async/>
                    <Route path=path!("/admin/utilisateurs") view=pages::admin::users::UsersPage ssr=SsrMode::Async/>
                    <Route path=path!("/admin/utilisateurs/:id") view=pages::admin::users::UserDetailPage ssr=SsrMode::Async/>
                    <Route path=path!("/admin/utilisateurs/:id/modifier") view=pages::admin::edit_user::EditUserPage ssr=SsrMode::Async/>
                    <Route path=path!("/admin/utilisateurs/:id/supprimer") view=pages::admin::delete_user::DeleteUserPage ssr=SsrMode::Async/>
                    <Route path=path!("/admin/courriels") view=pages::admin::emails::EmailsPage ssr=SsrMode::Async/>
                    <Route path=path!("/admin/courriels/:id") view=pages::admin::emails::EmailDetailPage ssr=SsrMode::Async/>
                    <Route path=path!("/admin/journal") view=pages::admin::journal::JournalPage ssr=SsrMode::Async/>
                    <Route path=path!("/admin/sauvegarde") view=pages::admin::backups::BackupsPage ssr=SsrMode::Async/>
                    <Route path=path!("/admin/tribunaux") view=pages::admin::tribunaux::TribunauxPage ssr=SsrMode::Async/>
                    <Route path=path!("/admin/tribunaux/nouveau") view=pages::admin::tribunaux::TribunalPage ssr=SsrMode::Async/>
                    <Route path=path!("/admin/tribunaux/import") view=pages::admin::imports::ImportTribunauxPage ssr=SsrMode::Async/>
                    <Route path=path!("/admin/tribunaux/:id") view=pages::admin::tribunaux::TribunalPage ssr=SsrMode::Async/>
                    <Route path=path!("/admin/etablissements") view=pages::admin::etablissements::EtablissementsPage ssr=SsrMode::Async/>
                    <Route path=path!("/admin/etablissements/import") view=pages::admin::imports::ImportEtablissementsPage ssr=SsrMode::Async/>
                    <Route path=path!("/admin/etablissements/:id") view=pages::admin::etablissements::EtablissementPage ssr=SsrMode::Async/>
                </Routes>
            </main>
            <SiteFooter/>
            <HydrationMarker/>
        </Router>
    }
}
