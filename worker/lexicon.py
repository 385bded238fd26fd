"""Phrases, by language and family, that tell what a page is: a bot check, a consent wall, a paywall
or login stub, a not-found or error page; and the words a publisher acknowledges an edit with (a
correction or update note). Data only: rules that use them live in their modules (worker/classify.py
for walls, worker/acknowledged.py for notes); worker/phrase_match.py finds them in a text.

How a phrase is written:
- as a native writer would, in lower or any case, accents and all: phrases and texts are compared
  in one folded form (phrase_match.match_form: case, widths, Latin/Cyrillic accents, Arabic letter
  variants, Indic nukta, digits), so "Página", "PAGINA" and "pagina" are one;
- in spaced scripts a phrase matches whole words ("accept all" is not in "accept allegations"); a
  trailing "*" lets the last word go on (Turkish "abone*" is abone olun, aboneliğiniz ...);
- in spaceless scripts (CJK, Thai) a phrase matches anywhere, so it must be long enough to be a
  wall's own words, never a word an article uses ("エラー" alone is too short; "エラーが発生しました" is not).
- *_title families are the start of a page's <title> or <h1> (site name cut off) that is nothing
  but that: an error page's title.

Families: bot (bot checks, captchas, denials, rate limits), consent (consent walls' buttons and
headings), paywall (subscribe to read on), login (sign in / register to read on), not_found (soft
404s, removed articles), error (error pages), not_found_title, error_title;
correction_label (what starts a correction, update or editor's note: "Correction:", "【訂正】",
"Исправлено:"; also an "updated" marker in a headline), correction_sentence (a note's own words,
anywhere in a paragraph: "an earlier version of this article", "haberin önceki versiyonunda").
Languages: BCP 47 tags; zh is simplified Chinese, zh-Hant traditional.
"""

from __future__ import annotations

FAMILIES = ("bot", "consent", "paywall", "login", "not_found", "error", "not_found_title", "error_title",
            "correction_label", "correction_sentence")

LEXICON: dict[str, dict[str, tuple[str, ...]]] = {
    "en": {
        "bot": ("verify you are human", "verify that you are human", "verifying you are human", "are you a robot", "are you human", "i'm not a robot", "i am not a robot", "checking your browser", "checking if the site connection is secure", "enable javascript and cookies to continue", "please enable cookies", "please complete the security check", "unusual traffic", "automated queries", "press & hold", "press and hold", "access to this page has been denied", "you don't have permission to access", "your request has been blocked", "request blocked", "too many requests", "rate limit exceeded", "security check", "bot detection", "just a moment", "attention required", "access denied", "human verification"),
        "consent": ("accept all cookies", "accept all", "accept cookies", "agree and continue", "accept and continue", "we value your privacy", "we and our partners", "before you continue", "consent to the use of cookies", "reject all"),
        "paywall": ("subscribe to continue reading", "subscribe to read", "subscribe to keep reading", "to continue reading, subscribe", "this article is for subscribers", "this article is available to subscribers", "this article is only available to subscribers", "subscribers only", "to read the full article", "unlock this article"),
        "login": ("sign in to continue reading", "log in to continue reading", "register to continue reading", "create a free account to continue", "sign in to read the full article"),
        "not_found": ("page not found", "the page you requested could not be found", "we couldn't find", "we can't find", "this page doesn't exist", "this page does not exist", "no longer available", "has been removed", "this article has been removed", "this article is no longer available"),
        "error": ("an error occurred", "an error has occurred", "something went wrong", "internal server error", "service unavailable", "temporarily unavailable", "please try again later", "bad gateway"),
        "not_found_title": ("page not found", "article not found", "content not found", "not found", "page does not exist", "page doesn't exist"),
        "error_title": ("error", "internal server error", "service unavailable", "something went wrong", "an error occurred", "an error has occurred"),
        "correction_label": ("correction", "corrections", "corrected", "clarification", "update", "updated", "editor's note", "editors' note", "editor’s note", "note from the editor", "amendment", "erratum", "retraction"),
        "correction_sentence": ("an earlier version of this", "a previous version of this", "an earlier version of the article", "an earlier version of the story", "an earlier headline", "the headline of this article has been", "the headline has been changed", "this article has been updated", "this article has been corrected", "this article has been amended", "this article has been revised", "this article was updated", "this article was corrected", "this article was amended", "this story has been updated", "this story has been corrected", "this story has been amended", "this story was updated", "this story was corrected", "this story was amended", "this post has been updated", "this report has been updated", "this piece has been updated", "this version corrects", "we regret the error", "an earlier version misstated", "an earlier version incorrectly", "an earlier version said", "an earlier version stated", "an earlier version gave", "a previous version misstated", "a previous version incorrectly", "a previous version said", "a previous version gave"),
    },
    "de": {
        "bot": ("bitte bestätigen sie, dass sie ein mensch sind", "bitte bestätigen sie, dass sie kein roboter sind", "sind sie ein roboter", "ich bin kein roboter", "sicherheitsüberprüfung", "zugriff verweigert", "ungewöhnlichen datenverkehr", "zu viele anfragen", "ihr browser wird überprüft"),
        "consent": ("alle akzeptieren", "alle cookies akzeptieren", "akzeptieren und weiter", "zustimmen und weiter", "wir und unsere partner", "alle ablehnen", "akzeptieren und schließen", "ihre privatsphäre ist uns wichtig"),
        "paywall": ("jetzt weiterlesen", "weiterlesen mit", "nur für abonnenten", "um weiterzulesen", "dieser artikel ist nur für abonnenten", "exklusiv für abonnenten", "jetzt abonnieren und weiterlesen"),
        "login": ("anmelden und weiterlesen", "melden sie sich an, um weiterzulesen", "kostenlos registrieren und weiterlesen"),
        "not_found": ("seite nicht gefunden", "die seite wurde nicht gefunden", "die angeforderte seite existiert nicht", "diese seite existiert nicht", "der artikel ist nicht mehr verfügbar", "artikel nicht gefunden"),
        "error": ("ein fehler ist aufgetreten", "es ist ein fehler aufgetreten", "etwas ist schiefgelaufen", "dienst nicht verfügbar", "bitte versuchen sie es später erneut", "bitte versuchen sie es später noch einmal"),
        "not_found_title": ("seite nicht gefunden", "fehler 404", "artikel nicht gefunden"),
        "error_title": ("fehler", "ein fehler ist aufgetreten", "es ist ein fehler aufgetreten"),
        "correction_label": ("korrektur", "korrekturhinweis", "berichtigung", "richtigstellung", "klarstellung", "aktualisierung", "aktualisiert", "update", "anmerkung der redaktion", "hinweis der redaktion", "nachtrag", "transparenzhinweis"),
        "correction_sentence": ("in einer früheren version dieses artikels", "in einer früheren fassung dieses artikels", "in einer früheren version des artikels", "in einer früheren fassung des artikels", "in einer früheren version hieß es", "in einer früheren fassung hieß es", "dieser artikel wurde aktualisiert", "dieser artikel wurde korrigiert", "dieser artikel wurde geändert", "dieser beitrag wurde aktualisiert", "dieser beitrag wurde korrigiert", "der artikel wurde aktualisiert", "der artikel wurde korrigiert", "haben den fehler korrigiert", "wir bitten, den fehler zu entschuldigen", "wir bitten den fehler zu entschuldigen", "in einer früheren version stand", "in einer früheren version war", "in einer früheren fassung stand"),
    },
    "fr": {
        "bot": ("vérifiez que vous êtes humain", "vérification de sécurité", "êtes-vous un robot", "je ne suis pas un robot", "accès refusé", "trop de requêtes", "trafic inhabituel", "vérification de votre navigateur"),
        "consent": ("tout accepter", "accepter et continuer", "accepter et fermer", "nous et nos partenaires", "tout refuser", "continuer sans accepter", "le respect de votre vie privée est notre priorité"),
        "paywall": ("abonnez-vous pour lire la suite", "réservé aux abonnés", "pour lire la suite", "cet article est réservé aux abonnés", "la suite est réservée aux abonnés", "il vous reste", "de cet article à lire"),
        "login": ("connectez-vous pour lire la suite", "inscrivez-vous gratuitement pour lire la suite", "créez un compte gratuit pour lire"),
        "not_found": ("page introuvable", "page non trouvée", "la page que vous recherchez n'existe pas", "la page demandée est introuvable", "cette page n'existe pas", "cet article n'est plus disponible", "la page demandée n'existe pas"),
        "error": ("une erreur s'est produite", "une erreur est survenue", "service indisponible", "veuillez réessayer plus tard", "erreur interne du serveur"),
        "not_found_title": ("page introuvable", "page non trouvée", "erreur 404", "cette page n'existe pas"),
        "error_title": ("erreur", "une erreur s'est produite", "une erreur est survenue"),
        "correction_label": ("correction", "rectificatif", "erratum", "précision", "mise à jour", "mis à jour", "actualisation", "actualisé", "note de la rédaction", "modification"),
        "correction_sentence": ("une version précédente de cet article", "une précédente version de cet article", "une version antérieure de cet article", "dans une première version de cet article", "cet article a été mis à jour", "cet article a été corrigé", "cet article a été modifié", "cet article a été actualisé", "cet article a été rectifié", "nous nous excusons pour cette erreur", "nous prions nos lecteurs de nous excuser", "une version précédente indiquait", "une version précédente donnait", "une précédente version indiquait"),
    },
    "es": {
        "bot": ("verifica que eres humano", "verifica que no eres un robot", "¿eres un robot?", "no soy un robot", "comprobación de seguridad", "verificación de seguridad", "acceso denegado", "demasiadas solicitudes", "tráfico inusual", "comprobando tu navegador"),
        "consent": ("aceptar todo", "aceptar todas", "aceptar y continuar", "nosotros y nuestros socios", "rechazar todo", "aceptar y cerrar", "tu privacidad es importante para nosotros"),
        "paywall": ("suscríbete para seguir leyendo", "suscríbete para continuar", "exclusivo para suscriptores", "este artículo es exclusivo para suscriptores", "contenido exclusivo para suscriptores", "para seguir leyendo", "ya soy suscriptor"),
        "login": ("inicia sesión para seguir leyendo", "regístrate gratis para seguir leyendo", "regístrate para seguir leyendo"),
        "not_found": ("página no encontrada", "la página que buscas no existe", "la página que busca no existe", "esta página no existe", "el artículo ya no está disponible", "la página solicitada no existe"),
        "error": ("se ha producido un error", "ha ocurrido un error", "algo salió mal", "servicio no disponible", "inténtalo de nuevo más tarde", "error interno del servidor"),
        "not_found_title": ("página no encontrada", "error 404", "la página no existe"),
        "error_title": ("error", "se ha producido un error", "ha ocurrido un error"),
        "correction_label": ("corrección", "fe de erratas", "fe de errores", "aclaración", "actualización", "actualizado", "nota del editor", "nota de la redacción", "nota de redacción", "rectificación"),
        "correction_sentence": ("una versión anterior de este artículo", "una versión anterior de esta nota", "una versión anterior de esta noticia", "una versión anterior de esta información", "este artículo ha sido actualizado", "este artículo fue actualizado", "este artículo ha sido corregido", "este artículo fue corregido", "esta noticia ha sido actualizada", "esta noticia fue actualizada", "esta nota fue actualizada", "esta nota ha sido actualizada", "esta información ha sido actualizada", "lamentamos el error", "una versión anterior decía", "una versión anterior daba", "una versión anterior indicaba"),
    },
    "it": {
        "bot": ("verifica di essere umano", "verifica di non essere un robot", "non sono un robot", "controllo di sicurezza", "accesso negato", "troppe richieste", "traffico insolito"),
        "consent": ("accetta tutto", "accetta e continua", "noi e i nostri partner", "rifiuta tutto", "accetta e chiudi", "continua senza accettare"),
        "paywall": ("abbonati per continuare", "riservato agli abbonati", "contenuto riservato agli abbonati", "articolo riservato agli abbonati", "abbonati per leggere", "per continuare a leggere"),
        "login": ("accedi per continuare a leggere", "registrati gratuitamente per continuare a leggere", "registrati per continuare a leggere"),
        "not_found": ("pagina non trovata", "la pagina che stai cercando non esiste", "la pagina richiesta non è stata trovata", "questa pagina non esiste", "l'articolo non è più disponibile"),
        "error": ("si è verificato un errore", "servizio non disponibile", "riprova più tardi", "qualcosa è andato storto", "errore interno del server"),
        "not_found_title": ("pagina non trovata", "errore 404", "pagina inesistente"),
        "error_title": ("errore", "si è verificato un errore"),
        "correction_label": ("correzione", "rettifica", "errata corrige", "precisazione", "aggiornamento", "aggiornato", "nota della redazione", "nota del direttore"),
        "correction_sentence": ("una versione precedente di questo articolo", "in una precedente versione di questo articolo", "questo articolo è stato aggiornato", "questo articolo è stato corretto", "questo articolo è stato modificato", "l'articolo è stato aggiornato", "l'articolo è stato corretto", "ci scusiamo per l'errore", "ce ne scusiamo con i lettori", "una versione precedente riportava", "una versione precedente indicava"),
    },
    "pt": {
        "bot": ("verifique que você é humano", "confirme que você não é um robô", "não sou um robô", "verificação de segurança", "acesso negado", "muitas solicitações", "tráfego incomum", "verificando seu navegador"),
        "consent": ("aceitar todos", "aceitar tudo", "aceitar e continuar", "aceitar e fechar", "nós e os nossos parceiros", "nós e nossos parceiros", "rejeitar todos"),
        "paywall": ("assine para continuar lendo", "assine para ler", "exclusivo para assinantes", "conteúdo exclusivo para assinantes", "este conteúdo é exclusivo para assinantes", "para continuar lendo", "para continuar a ler", "já é assinante"),
        "login": ("faça login para continuar lendo", "cadastre-se gratuitamente para continuar lendo", "inicie sessão para continuar a ler"),
        "not_found": ("página não encontrada", "a página que você procura não existe", "a página que procura não existe", "esta página não existe", "a página não foi encontrada", "o conteúdo não está mais disponível"),
        "error": ("ocorreu um erro", "algo deu errado", "serviço indisponível", "tente novamente mais tarde", "erro interno do servidor"),
        "not_found_title": ("página não encontrada", "erro 404", "página inexistente"),
        "error_title": ("erro", "ocorreu um erro"),
        "correction_label": ("correção", "errata", "esclarecimento", "atualização", "atualizado", "atualizada", "nota da redação", "nota do editor", "retificação"),
        "correction_sentence": ("uma versão anterior deste artigo", "uma versão anterior desta reportagem", "uma versão anterior deste texto", "uma versão anterior desta notícia", "este artigo foi atualizado", "este texto foi atualizado", "esta reportagem foi atualizada", "esta notícia foi atualizada", "este texto foi corrigido", "esta reportagem foi corrigida", "esta notícia foi corrigida", "este artigo foi corrigido", "diferentemente do que foi publicado", "ao contrário do que foi publicado", "lamentamos o erro", "uma versão anterior informava", "uma versão anterior dizia"),
    },
    "nl": {
        "bot": ("bevestig dat u een mens bent", "bevestig dat je een mens bent", "ik ben geen robot", "beveiligingscontrole", "toegang geweigerd", "te veel verzoeken", "ongebruikelijk verkeer"),
        "consent": ("alles accepteren", "akkoord en doorgaan", "accepteren en doorgaan", "wij en onze partners", "alles weigeren", "cookies accepteren"),
        "paywall": ("word abonnee om verder te lezen", "abonneer je om verder te lezen", "alleen voor abonnees", "dit artikel is alleen beschikbaar voor abonnees", "om verder te lezen"),
        "login": ("log in om verder te lezen", "registreer gratis om verder te lezen", "maak een gratis account aan om verder te lezen"),
        "not_found": ("pagina niet gevonden", "deze pagina bestaat niet", "de pagina die je zoekt bestaat niet", "de pagina die u zoekt bestaat niet", "het artikel is niet meer beschikbaar"),
        "error": ("er is een fout opgetreden", "er ging iets mis", "er is iets misgegaan", "dienst niet beschikbaar", "probeer het later opnieuw"),
        "not_found_title": ("pagina niet gevonden", "fout 404", "pagina bestaat niet"),
        "error_title": ("fout", "er is een fout opgetreden", "er ging iets mis"),
        "correction_label": ("correctie", "rectificatie", "verduidelijking", "update", "bijgewerkt", "noot van de redactie", "naschrift", "aanvulling"),
        "correction_sentence": ("in een eerdere versie van dit artikel", "een eerdere versie van dit artikel", "in een eerdere versie van dit bericht", "in een eerdere versie stond", "dit artikel is bijgewerkt", "dit artikel is aangepast", "dit artikel is gecorrigeerd", "dit bericht is bijgewerkt", "dit bericht is aangepast", "onze excuses voor de fout"),
    },
    "pl": {
        "bot": ("potwierdź, że jesteś człowiekiem", "potwierdź, że nie jesteś robotem", "nie jestem robotem", "weryfikacja bezpieczeństwa", "dostęp zabroniony", "dostęp zablokowany", "zbyt wiele żądań", "sprawdzanie przeglądarki", "nietypowy ruch"),
        "consent": ("zaakceptuj wszystko", "akceptuję i przechodzę do serwisu", "przejdź do serwisu", "my i nasi partnerzy", "odrzuć wszystko", "zaakceptuj i zamknij", "akceptuję wszystkie"),
        "paywall": ("tylko dla subskrybentów", "kup subskrypcję, aby czytać dalej", "aby przeczytać cały artykuł", "ten artykuł jest dostępny tylko dla subskrybentów", "pozostała część artykułu jest dostępna dla subskrybentów", "wykup dostęp"),
        "login": ("zaloguj się, aby czytać dalej", "zaloguj się, aby przeczytać cały artykuł"),
        "not_found": ("strona nie została znaleziona", "nie znaleziono strony", "strona nie istnieje", "szukana strona nie istnieje", "artykuł nie jest już dostępny", "nie możemy znaleźć tej strony"),
        "error": ("wystąpił błąd", "coś poszło nie tak", "usługa niedostępna", "spróbuj ponownie później", "wewnętrzny błąd serwera"),
        "not_found_title": ("nie znaleziono strony", "strona nie została znaleziona", "błąd 404", "strona nie istnieje"),
        "error_title": ("błąd", "wystąpił błąd", "coś poszło nie tak"),
        "correction_label": ("sprostowanie", "korekta", "poprawka", "aktualizacja", "zaktualizowano", "uzupełnienie", "nota redakcji", "od redakcji", "errata", "wyjaśnienie"),
        "correction_sentence": ("we wcześniejszej wersji tego artykułu", "we wcześniejszej wersji artykułu", "w poprzedniej wersji artykułu", "w pierwotnej wersji artykułu", "w pierwotnej wersji tekstu", "artykuł został zaktualizowany", "artykuł został poprawiony", "artykuł został uzupełniony", "tekst został zaktualizowany", "tekst został poprawiony", "tekst został uzupełniony", "przepraszamy za błąd", "przepraszamy za pomyłkę", "za pomyłkę przepraszamy"),
    },
    "ru": {
        "bot": ("подтвердите, что вы не робот", "вы не робот", "я не робот", "доступ запрещён", "доступ ограничен", "проверка безопасности", "проверка браузера", "проверяем ваш браузер", "слишком много запросов", "похожи на автоматические", "подозрительный трафик"),
        "consent": ("принять все", "принять и закрыть", "согласиться и продолжить", "мы и наши партнеры", "отклонить все", "принять cookie"),
        "paywall": ("подпишитесь, чтобы продолжить", "продолжение доступно по подписке", "только для подписчиков", "доступно только подписчикам", "оформите подписку, чтобы продолжить чтение", "чтобы прочитать статью полностью", "материал доступен только подписчикам"),
        "login": ("войдите, чтобы продолжить чтение", "авторизуйтесь, чтобы продолжить чтение", "зарегистрируйтесь, чтобы читать дальше"),
        "not_found": ("страница не найдена", "такой страницы не существует", "запрашиваемая страница не найдена", "страница, которую вы ищете, не существует", "материал удалён", "статья удалена", "страница была удалена", "запрашиваемая страница не существует"),
        "error": ("произошла ошибка", "что-то пошло не так", "сервис временно недоступен", "попробуйте позже", "попробуйте зайти позже", "внутренняя ошибка сервера"),
        "not_found_title": ("страница не найдена", "ошибка 404", "такой страницы не существует"),
        "error_title": ("ошибка", "произошла ошибка", "что-то пошло не так"),
        "correction_label": ("исправлено", "исправление", "поправка", "уточнение", "обновлено", "обновление", "дополнено", "от редакции", "примечание редакции", "прим. ред."),
        "correction_sentence": ("в первоначальной версии статьи", "в первоначальной версии материала", "в первоначальной версии текста", "в первоначальной версии новости", "в предыдущей версии статьи", "в предыдущей версии материала", "в более ранней версии", "статья была исправлена", "статья была обновлена", "материал был исправлен", "материал был обновлен", "материал обновлен", "материал дополнен", "статья обновлена", "статья дополнена", "текст обновлен", "новость обновлена", "новость дополнена", "приносим извинения за ошибку", "редакция приносит извинения", "приносим свои извинения"),
    },
    "uk": {
        "bot": ("підтвердіть, що ви не робот", "я не робот", "перевірка безпеки", "доступ заборонено", "забагато запитів", "перевірка браузера", "перевіряємо ваш браузер"),
        "consent": ("прийняти все", "прийняти всі", "погодитися і продовжити", "ми та наші партнери", "відхилити все"),
        "paywall": ("тільки для передплатників", "лише для передплатників", "передплатіть, щоб продовжити", "оформіть передплату, щоб читати далі", "доступно лише передплатникам", "щоб прочитати статтю повністю"),
        "login": ("увійдіть, щоб продовжити читання", "зареєструйтеся, щоб читати далі"),
        "not_found": ("сторінку не знайдено", "сторінка не знайдена", "такої сторінки не існує", "сторінка, яку ви шукаєте, не існує", "матеріал видалено", "статтю видалено"),
        "error": ("сталася помилка", "виникла помилка", "щось пішло не так", "сервіс тимчасово недоступний", "спробуйте пізніше", "внутрішня помилка сервера"),
        "not_found_title": ("сторінку не знайдено", "сторінка не знайдена", "помилка 404", "такої сторінки не існує"),
        "error_title": ("помилка", "сталася помилка", "щось пішло не так"),
        "correction_label": ("виправлено", "виправлення", "поправка", "уточнення", "оновлено", "оновлення", "доповнено", "від редакції", "примітка редакції"),
        "correction_sentence": ("у попередній версії статті", "у першій версії статті", "в попередній версії статті", "у попередній версії матеріалу", "у попередній версії новини", "статтю оновлено", "статтю виправлено", "матеріал оновлено", "матеріал доповнено", "новину оновлено", "новину доповнено", "редакція перепрошує", "перепрошуємо за помилку"),
    },
    "tr": {
        "bot": ("robot olmadığınızı doğrulayın", "ben robot değilim", "robot değilim", "insan olduğunuzu doğrulayın", "güvenlik kontrolü", "erişim engellendi", "erişim reddedildi", "çok fazla istek", "tarayıcınız kontrol ediliyor"),
        "consent": ("tümünü kabul et", "kabul et ve devam et", "tüm çerezleri kabul et", "çerezleri kabul et", "tümünü reddet", "biz ve iş ortaklarımız"),
        "paywall": ("okumaya devam etmek için abone*", "haberin devamını okumak için abone*", "devamını okumak için abone*", "abonelere özel*"),
        "login": ("okumaya devam etmek için giriş yap*", "devamını okumak için giriş yap*", "devamını okumak için üye ol*"),
        "not_found": ("sayfa bulunamadı", "aradığınız sayfa bulunamadı", "aradığınız sayfaya ulaşılamıyor", "böyle bir sayfa bulunamadı", "haber bulunamadı", "bu haber yayından kaldırıldı", "içerik kaldırıldı", "sayfa mevcut değil"),
        "error": ("bir hata oluştu", "bir sorun oluştu", "bir şeyler ters gitti", "hizmet kullanılamıyor", "daha sonra tekrar deneyin*", "sunucu hatası"),
        "not_found_title": ("sayfa bulunamadı", "aradığınız sayfa bulunamadı", "haber bulunamadı", "hata 404"),
        "error_title": ("hata", "bir hata oluştu", "bir sorun oluştu"),
        "correction_label": ("düzeltme", "tashih", "güncelleme", "güncellendi", "editörün notu", "editör notu", "yayın yönetmeninin notu"),
        "correction_sentence": ("haberin önceki versiyonunda", "haberin önceki sürümünde", "haberin ilk halinde", "haberin ilk versiyonunda", "haberin ilk sürümünde", "bu haber güncellendi", "bu haber güncellenmiştir", "haber güncellendi", "haber güncellenmiştir", "bu haber düzeltildi", "haber düzeltilmiştir", "habere yeni bilgiler eklendi", "hata için özür dileriz", "yanlışlık için özür dileriz", "sehven"),
    },
    "az": {
        "bot": ("robot olmadığınızı təsdiqləyin", "insan olduğunuzu təsdiqləyin", "mən robot deyiləm", "təhlükəsizlik yoxlaması", "giriş qadağandır", "giriş rədd edildi", "həddindən artıq sorğu", "brauzeriniz yoxlanılır"),
        "consent": ("hamısını qəbul et", "hamısını qəbul edin", "qəbul et və davam et", "bütün kukiləri qəbul et", "hamısını rədd et"),
        "paywall": ("yalnız abunəçilər üçün", "oxumağa davam etmək üçün abunə*", "davamını oxumaq üçün abunə*", "abunəçilər üçün əlçatandır"),
        "login": ("oxumağa davam etmək üçün daxil ol*", "davamını oxumaq üçün daxil ol*", "davamını oxumaq üçün qeydiyyatdan keç*"),
        "not_found": ("səhifə tapılmadı", "axtardığınız səhifə tapılmadı", "belə səhifə mövcud deyil", "səhifə mövcud deyil", "xəbər tapılmadı", "xəbər silinib", "material silinib"),
        "error": ("xəta baş verdi", "nəsə səhv getdi", "xidmət müvəqqəti əlçatan deyil", "bir az sonra yenidən cəhd edin", "daha sonra yenidən cəhd edin", "server xətası"),
        "not_found_title": ("səhifə tapılmadı", "xəbər tapılmadı", "xəta 404"),
        "error_title": ("xəta", "xəta baş verdi"),
        "correction_label": ("düzəliş", "düzəliş edildi", "yeniləndi", "yenilənib", "yeniləmə", "redaktordan", "redaksiyadan", "redaksiyanın qeydi", "redaktorun qeydi", "təkzib"),
        "correction_sentence": ("xəbərin əvvəlki versiyasında", "məqalənin əvvəlki versiyasında", "xəbərin ilkin versiyasında", "məqalənin ilkin versiyasında", "xəbər yenilənib", "xəbər yeniləndi", "məqalə yenilənib", "xəbərə düzəliş edilib", "xəbərə düzəliş edildi", "səhvə görə üzr istəyirik", "yanlışlığa görə üzr istəyirik"),
    },
    "ar": {
        "bot": ("تحقق من أنك لست روبوت", "أنا لست روبوت", "أنا لست برنامج روبوت", "يرجى التحقق من أنك إنسان", "التحقق من الأمان", "فحص أمني", "تم رفض الوصول", "الوصول مرفوض", "طلبات كثيرة جدا", "جار التحقق من متصفحك"),
        "consent": ("قبول الكل", "قبول الجميع", "موافق ومتابعة", "قبول ملفات تعريف الارتباط", "رفض الكل", "نحن وشركاؤنا"),
        "paywall": ("اشترك لمتابعة القراءة", "للمشتركين فقط", "هذا المقال متاح للمشتركين فقط", "اشترك لقراءة المقال كاملا", "لمواصلة القراءة اشترك", "محتوى حصري للمشتركين"),
        "login": ("سجل الدخول لمتابعة القراءة", "سجل الدخول لمواصلة القراءة", "أنشئ حسابا مجانيا لمتابعة القراءة"),
        "not_found": ("الصفحة غير موجودة", "الصفحة المطلوبة غير موجودة", "لم يتم العثور على الصفحة", "الصفحة التي تبحث عنها غير موجودة", "تم حذف هذا المقال", "هذا المحتوى لم يعد متاحا", "الخبر غير موجود"),
        "error": ("حدث خطأ", "حدث خطأ ما", "الخدمة غير متوفرة", "يرجى المحاولة لاحقا", "حاول مرة أخرى لاحقا", "خطأ داخلي في الخادم"),
        "not_found_title": ("الصفحة غير موجودة", "لم يتم العثور على الصفحة", "خطأ 404"),
        "error_title": ("خطأ", "حدث خطأ"),
        "correction_label": ("تصحيح", "توضيح", "تحديث", "تم التحديث", "ملاحظة المحرر", "ملاحظة التحرير", "استدراك", "تنويه"),
        "correction_sentence": ("في نسخة سابقة من هذا المقال", "في نسخة سابقة من هذا التقرير", "في نسخة سابقة من هذا الخبر", "نسخة سابقة من هذا المقال", "تم تحديث هذا المقال", "تم تحديث هذا الخبر", "تم تحديث هذا التقرير", "تم تصحيح هذا المقال", "تم تصحيح هذا الخبر", "تم تعديل هذا المقال", "تم تعديل هذا الخبر", "نعتذر عن هذا الخطأ", "نعتذر عن الخطأ"),
    },
    "fa": {
        "bot": ("من ربات نیستم", "تأیید کنید که ربات نیستید", "بررسی امنیتی", "دسترسی ممنوع است", "دسترسی غیرمجاز", "درخواست‌های بیش از حد", "در حال بررسی مرورگر شما"),
        "consent": ("پذیرفتن همه", "پذیرش همه", "قبول همه", "موافقم و ادامه", "رد همه"),
        "paywall": ("فقط برای مشترکان", "ویژه مشترکان", "برای ادامه مطالعه مشترک شوید", "برای خواندن ادامه مطلب اشتراک", "این مطلب ویژه مشترکان است"),
        "login": ("برای ادامه مطالعه وارد شوید", "برای مشاهده کامل مطلب وارد شوید", "برای خواندن ادامه مطلب وارد شوید"),
        "not_found": ("صفحه مورد نظر یافت نشد", "صفحه یافت نشد", "صفحه پیدا نشد", "صفحه‌ای که به دنبال آن هستید وجود ندارد", "این صفحه وجود ندارد", "خبر مورد نظر یافت نشد", "این مطلب حذف شده است"),
        "error": ("خطایی رخ داده است", "خطایی رخ داد", "مشکلی پیش آمد", "سرویس در دسترس نیست", "لطفا بعدا دوباره تلاش کنید", "خطای داخلی سرور"),
        "not_found_title": ("صفحه یافت نشد", "صفحه مورد نظر یافت نشد", "صفحه پیدا نشد", "خطای 404"),
        "error_title": ("خطا", "خطایی رخ داده است", "خطایی رخ داد"),
        "correction_label": ("اصلاحیه", "تصحیح", "توضیح", "به‌روزرسانی", "بروزرسانی", "به‌روز شد", "یادداشت سردبیر", "توضیح سردبیر", "یادداشت ویراستار"),
        "correction_sentence": ("در نسخه قبلی این مطلب", "در نسخه قبلی این گزارش", "در نسخه قبلی این خبر", "در نسخه پیشین این", "این مطلب به‌روزرسانی شده", "این خبر به‌روزرسانی شده", "این گزارش به‌روزرسانی شده", "این مطلب اصلاح شده", "این خبر اصلاح شده", "این گزارش اصلاح شده", "بابت این اشتباه پوزش", "از این اشتباه پوزش"),
    },
    "ur": {
        "bot": ("میں روبوٹ نہیں ہوں", "تصدیق کریں کہ آپ روبوٹ نہیں ہیں", "سیکیورٹی چیک", "رسائی ممنوع", "رسائی سے انکار", "بہت زیادہ درخواستیں"),
        "consent": ("سب قبول کریں", "تمام کوکیز قبول کریں", "قبول کریں اور جاری رکھیں", "سب مسترد کریں"),
        "paywall": ("صرف سبسکرائبرز کے لیے", "پڑھنا جاری رکھنے کے لیے سبسکرائب کریں", "مکمل خبر پڑھنے کے لیے سبسکرائب"),
        "login": ("پڑھنا جاری رکھنے کے لیے لاگ ان کریں", "مکمل خبر پڑھنے کے لیے لاگ ان"),
        "not_found": ("صفحہ نہیں ملا", "مطلوبہ صفحہ نہیں ملا", "یہ صفحہ موجود نہیں ہے", "صفحہ دستیاب نہیں", "خبر ہٹا دی گئی ہے"),
        "error": ("ایک خرابی پیش آ گئی", "خرابی پیش آگئی", "کچھ غلط ہو گیا", "سروس دستیاب نہیں", "براہ کرم بعد میں دوبارہ کوشش کریں"),
        "not_found_title": ("صفحہ نہیں ملا", "مطلوبہ صفحہ نہیں ملا", "خرابی 404"),
        "error_title": ("خرابی", "ایک خرابی پیش آ گئی", "کچھ غلط ہو گیا"),
        "correction_label": ("تصحیح", "وضاحت", "اپ ڈیٹ", "اپڈیٹ", "ادارتی نوٹ", "درستی"),
        "correction_sentence": ("اس خبر کے پچھلے ورژن میں", "اس مضمون کے پچھلے ورژن میں", "اس خبر کو اپ ڈیٹ کر دیا گیا ہے", "اس خبر کو اپ ڈیٹ کیا گیا ہے", "اس خبر میں ترمیم کی گئی ہے", "اس خبر کی تصحیح کر دی گئی ہے", "غلطی پر معذرت", "ہم اس غلطی پر معذرت خواہ ہیں"),
    },
    "hi": {
        "bot": ("मैं रोबोट नहीं हूं", "पुष्टि करें कि आप रोबोट नहीं हैं", "सुरक्षा जांच", "पहुंच अस्वीकृत", "एक्सेस अस्वीकृत", "बहुत अधिक अनुरोध", "आपके ब्राउज़र की जांच की जा रही है"),
        "consent": ("सभी स्वीकार करें", "सभी कुकीज़ स्वीकार करें", "स्वीकार करें और जारी रखें", "सभी अस्वीकार करें"),
        "paywall": ("केवल सब्सक्राइबर्स के लिए", "सिर्फ सब्सक्राइबर्स के लिए", "पढ़ना जारी रखने के लिए सब्सक्राइब करें", "पूरी खबर पढ़ने के लिए सब्सक्राइब करें", "यह लेख केवल ग्राहकों के लिए है"),
        "login": ("पढ़ना जारी रखने के लिए लॉगिन करें", "पूरी खबर पढ़ने के लिए लॉगिन करें", "आगे पढ़ने के लिए लॉग इन करें"),
        "not_found": ("पेज नहीं मिला", "पृष्ठ नहीं मिला", "यह पेज मौजूद नहीं है", "आप जिस पेज को खोज रहे हैं वह मौजूद नहीं है", "खबर हटा दी गई है", "पेज उपलब्ध नहीं है"),
        "error": ("कुछ गलत हो गया", "एक त्रुटि हुई", "त्रुटि हुई है", "सेवा उपलब्ध नहीं है", "कृपया बाद में पुनः प्रयास करें", "कृपया बाद में फिर से प्रयास करें"),
        "not_found_title": ("पेज नहीं मिला", "पृष्ठ नहीं मिला", "त्रुटि 404"),
        "error_title": ("त्रुटि", "कुछ गलत हो गया"),
        "correction_label": ("सुधार", "संशोधन", "स्पष्टीकरण", "अपडेट", "अपडेटेड", "संपादक का नोट", "संपादकीय नोट", "भूल सुधार"),
        "correction_sentence": ("इस खबर के पिछले संस्करण में", "इस लेख के पिछले संस्करण में", "इस रिपोर्ट के पिछले संस्करण में", "इस खबर को अपडेट किया गया है", "यह खबर अपडेट की गई है", "इस लेख को अपडेट किया गया है", "इस खबर में सुधार किया गया है", "इस लेख में सुधार किया गया है", "गलती के लिए खेद है", "त्रुटि के लिए खेद है", "इस गलती का खेद है"),
    },
    "bn": {
        "bot": ("আমি রোবট নই", "নিশ্চিত করুন যে আপনি রোবট নন", "নিরাপত্তা যাচাই", "প্রবেশাধিকার নেই", "অ্যাক্সেস অস্বীকার করা হয়েছে", "অনেক বেশি অনুরোধ", "আপনার ব্রাউজার যাচাই করা হচ্ছে"),
        "consent": ("সব গ্রহণ করুন", "সবগুলো গ্রহণ করুন", "সব কুকি গ্রহণ করুন", "সম্মত ও চালিয়ে যান", "সব প্রত্যাখ্যান করুন"),
        "paywall": ("শুধু গ্রাহকদের জন্য", "কেবল গ্রাহকদের জন্য", "পড়া চালিয়ে যেতে সাবস্ক্রাইব করুন", "পুরো খবর পড়তে সাবস্ক্রাইব করুন"),
        "login": ("পড়া চালিয়ে যেতে লগইন করুন", "পুরো খবর পড়তে লগইন করুন"),
        "not_found": ("পৃষ্ঠাটি পাওয়া যায়নি", "পেজটি পাওয়া যায়নি", "পাতাটি খুঁজে পাওয়া যায়নি", "পৃষ্ঠা খুঁজে পাওয়া যায়নি", "এই পৃষ্ঠাটি নেই", "খবরটি সরিয়ে ফেলা হয়েছে"),
        "error": ("একটি ত্রুটি ঘটেছে", "কিছু ভুল হয়েছে", "পরিষেবা উপলব্ধ নেই", "অনুগ্রহ করে পরে আবার চেষ্টা করুন", "পরে আবার চেষ্টা করুন"),
        "not_found_title": ("পৃষ্ঠাটি পাওয়া যায়নি", "পেজটি পাওয়া যায়নি", "ত্রুটি 404"),
        "error_title": ("ত্রুটি", "একটি ত্রুটি ঘটেছে", "কিছু ভুল হয়েছে"),
        "correction_label": ("সংশোধনী", "সংশোধন", "স্পষ্টীকরণ", "হালনাগাদ", "আপডেট", "সম্পাদকের নোট", "সম্পাদকীয় নোট"),
        "correction_sentence": ("এই প্রতিবেদনের আগের সংস্করণে", "এই খবরের আগের সংস্করণে", "প্রতিবেদনটি হালনাগাদ করা হয়েছে", "খবরটি হালনাগাদ করা হয়েছে", "প্রতিবেদনটি আপডেট করা হয়েছে", "খবরটি আপডেট করা হয়েছে", "প্রতিবেদনটি সংশোধন করা হয়েছে", "খবরটি সংশোধন করা হয়েছে", "অনিচ্ছাকৃত এই ভুলের জন্য দুঃখিত", "ভুলের জন্য আমরা দুঃখিত"),
    },
    "id": {
        "bot": ("verifikasi bahwa anda manusia", "buktikan bahwa anda bukan robot", "saya bukan robot", "pemeriksaan keamanan", "akses ditolak", "terlalu banyak permintaan", "memeriksa browser anda"),
        "consent": ("terima semua", "setuju dan lanjutkan", "terima dan lanjutkan", "tolak semua", "kami dan mitra kami"),
        "paywall": ("berlangganan untuk melanjutkan membaca", "berlangganan untuk membaca", "artikel ini khusus untuk pelanggan", "konten khusus pelanggan", "untuk membaca artikel selengkapnya"),
        "login": ("masuk untuk melanjutkan membaca", "login untuk melanjutkan membaca", "daftar gratis untuk membaca"),
        "not_found": ("halaman tidak ditemukan", "halaman yang anda cari tidak ditemukan", "halaman yang anda cari tidak tersedia", "artikel tidak ditemukan", "berita tidak ditemukan", "artikel ini telah dihapus"),
        "error": ("terjadi kesalahan", "ada yang salah", "layanan tidak tersedia", "silakan coba lagi nanti", "kesalahan server internal"),
        "not_found_title": ("halaman tidak ditemukan", "artikel tidak ditemukan", "berita tidak ditemukan"),
        "error_title": ("kesalahan", "terjadi kesalahan"),
        "correction_label": ("koreksi", "ralat", "klarifikasi", "pembaruan", "diperbarui", "update", "catatan redaksi", "catatan editor"),
        "correction_sentence": ("versi sebelumnya dari artikel ini", "dalam versi sebelumnya artikel ini", "pada versi sebelumnya", "artikel ini telah diperbarui", "berita ini telah diperbarui", "artikel ini telah dikoreksi", "berita ini telah dikoreksi", "artikel ini telah direvisi", "berita ini telah direvisi", "artikel ini mengalami perubahan", "berita ini mengalami perubahan", "mohon maaf atas kesalahan", "mohon maaf atas kekeliruan", "sebelumnya tertulis"),
    },
    "vi": {
        "bot": ("xác minh bạn là con người", "tôi không phải là người máy", "tôi không phải robot", "kiểm tra bảo mật", "truy cập bị từ chối", "quá nhiều yêu cầu", "đang kiểm tra trình duyệt của bạn"),
        "consent": ("chấp nhận tất cả", "đồng ý và tiếp tục", "từ chối tất cả", "chấp nhận cookie"),
        "paywall": ("đăng ký để đọc tiếp", "nội dung dành cho thuê bao", "bài viết dành cho độc giả trả phí", "mua gói để đọc tiếp", "nội dung dành riêng cho hội viên"),
        "login": ("đăng nhập để đọc tiếp", "đăng nhập để tiếp tục đọc", "đăng nhập để xem toàn bộ bài viết"),
        "not_found": ("không tìm thấy trang", "trang không tồn tại", "trang bạn tìm kiếm không tồn tại", "không tìm thấy bài viết", "bài viết không tồn tại", "bài viết đã bị xóa", "nội dung không còn tồn tại"),
        "error": ("đã xảy ra lỗi", "có lỗi xảy ra", "đã có lỗi xảy ra", "dịch vụ không khả dụng", "vui lòng thử lại sau", "lỗi máy chủ nội bộ"),
        # not "lỗi" alone: folded it is "loi", the start of "lời" (a word) too
        "not_found_title": ("không tìm thấy trang", "trang không tồn tại", "lỗi 404", "không tìm thấy bài viết"),
        "error_title": ("đã xảy ra lỗi", "có lỗi xảy ra", "đã có lỗi xảy ra"),
        "correction_label": ("đính chính", "cải chính", "cập nhật", "ghi chú của biên tập viên", "ghi chú của tòa soạn", "ghi chú của ban biên tập"),
        "correction_sentence": ("phiên bản trước của bài viết này", "trong phiên bản trước của bài viết", "bài viết đã được cập nhật", "bài viết đã được chỉnh sửa", "bài viết đã được đính chính", "tin bài đã được cập nhật", "bài báo đã được cập nhật", "xin lỗi vì sai sót", "xin lỗi bạn đọc vì sai sót", "thành thật xin lỗi bạn đọc"),
    },
    "ja": {
        "bot": ("ロボットではありません", "ロボットではないことを確認", "あなたはロボットですか", "人間であることを確認", "セキュリティチェック", "アクセスが拒否されました", "アクセスは拒否されました", "リクエストが多すぎます", "ブラウザを確認しています", "javascriptを有効にしてください", "cookieを有効にしてください"),
        "consent": ("すべて同意", "すべて許可", "すべて受け入れる", "同意して続行", "同意して閉じる", "すべて拒否", "cookieの使用に同意", "クッキーの使用に同意"),
        "paywall": ("この記事は有料会員限定です", "有料会員限定", "有料会員になると続きを読むことができます", "この記事は会員限定です", "続きを読むには", "この記事の続きは"),
        "login": ("ログインして続きを読む", "続きを読むにはログイン", "無料会員登録で続きを読む", "会員登録して続きを読む"),
        "not_found": ("ページが見つかりません", "お探しのページは見つかりませんでした", "お探しのページが見つかりません", "指定されたページは存在しません", "このページは存在しません", "この記事は削除されました", "記事は削除されました", "掲載期間が終了しました", "記事の掲載は終了しました"),
        "error": ("エラーが発生しました", "問題が発生しました", "サービスを利用できません", "しばらくしてから再度お試しください", "しばらく時間をおいて", "一時的にアクセスできません", "アクセスが集中しています", "サーバーエラー"),
        "not_found_title": ("ページが見つかりません", "お探しのページは見つかりませんでした", "お探しのページが見つかりません", "ページが存在しません"),
        "error_title": ("エラー", "システムエラー", "サーバーエラー"),
        "correction_label": ("訂正", "おわびと訂正", "お詫びと訂正", "おわび", "お詫び", "更新", "追記", "修正", "編集部注", "編集注"),
        "correction_sentence": ("訂正しました", "訂正します", "訂正いたします", "おわびして訂正", "お詫びして訂正", "記事を更新しました", "記事を修正しました", "一部を修正しました", "一部修正しました", "内容を更新しました", "追記しました", "当初の記事", "記事の一部に誤り", "見出しを修正しました"),
    },
    "zh": {
        "bot": ("请证明你不是机器人", "我不是机器人", "安全验证", "人机验证", "访问被拒绝", "拒绝访问", "请求过于频繁", "访问过于频繁", "正在检查您的浏览器", "请完成安全验证", "检测到异常流量", "请启用javascript", "请开启javascript"),
        "consent": ("全部接受", "接受所有", "同意并继续", "接受全部cookie", "全部拒绝"),
        "paywall": ("订阅后阅读全文", "订阅以继续阅读", "此文章仅限订阅用户", "仅限订阅者", "本文为付费内容", "购买后阅读全文", "开通会员阅读全文", "付费阅读全文"),
        "login": ("登录后阅读全文", "登录后查看全文", "请登录后继续阅读", "注册后阅读全文"),
        "not_found": ("页面不存在", "页面未找到", "找不到页面", "您访问的页面不存在", "您要访问的页面不存在", "该文章已被删除", "文章已删除", "内容已被删除", "该内容已下线", "页面找不到了"),
        "error": ("出错了", "发生错误", "服务器错误", "服务不可用", "请稍后再试", "请稍后重试", "系统繁忙"),
        "not_found_title": ("页面不存在", "页面未找到", "找不到页面", "页面找不到了"),
        "error_title": ("出错了", "错误", "系统错误", "服务器错误"),
        "correction_label": ("更正", "勘误", "订正", "更新", "编者按", "编者注", "澄清", "补充"),
        "correction_sentence": ("本文已更新", "本文已更正", "此文已更新", "本文已修改", "本报道已更新", "本文有更新", "此前版本", "此前的版本中", "早前版本", "原文有误", "特此更正", "特此致歉", "对此错误深表歉意"),
    },
    "zh-Hant": {
        "bot": ("請證明你不是機器人", "我不是機器人", "安全驗證", "人機驗證", "存取遭拒", "拒絕存取", "拒絕訪問", "請求過於頻繁", "正在檢查您的瀏覽器", "請完成安全驗證", "偵測到異常流量"),
        "consent": ("全部接受", "接受全部", "同意並繼續", "接受所有cookie", "全部拒絕"),
        "paywall": ("訂閱後閱讀全文", "訂閱以繼續閱讀", "此文章僅限訂閱用戶", "付費會員專屬", "會員專屬文章", "訂戶專屬", "本文為付費內容", "訂閱即可閱讀全文"),
        "login": ("登入後閱讀全文", "請登入以繼續閱讀", "登入會員繼續閱讀", "註冊後閱讀全文"),
        "not_found": ("頁面不存在", "找不到頁面", "找不到網頁", "您要找的頁面不存在", "您所要求的網頁不存在", "該文章已被刪除", "文章已下架", "此新聞已下架", "網頁不存在", "找不到此頁面"),
        "error": ("發生錯誤", "出錯了", "伺服器錯誤", "服務無法使用", "請稍後再試", "系統忙碌中"),
        "not_found_title": ("頁面不存在", "找不到頁面", "找不到網頁", "網頁不存在"),
        "error_title": ("錯誤", "發生錯誤", "系統錯誤", "伺服器錯誤"),
        "correction_label": ("更正", "勘誤", "訂正", "更新", "編按", "編者按", "編者注", "澄清", "補充"),
        "correction_sentence": ("本文已更新", "本文已更正", "本文已修改", "本報導已更新", "此前版本", "早前版本", "原文有誤", "特此更正", "特此致歉", "對此錯誤深表歉意"),
    },
    "ko": {
        "bot": ("로봇이 아닙니다", "로봇이 아님을 확인", "사람인지 확인", "보안 확인", "자동입력 방지", "접근이 거부되었습니다", "액세스가 거부되었습니다", "요청이 너무 많습니다", "브라우저를 확인하고 있습니다"),
        "consent": ("모두 동의", "모두 수락", "전체 동의", "동의하고 계속", "모두 거부"),
        "paywall": ("구독자 전용", "유료 회원 전용", "이 기사는 유료 회원", "구독하고 계속 읽기", "구독하시면 전체 기사를", "유료 구독자만"),
        # not "로그인 후 이용": a comment box says it beside every article
        "login": ("로그인하고 계속 읽기", "로그인 후 기사 전문", "로그인하시면 기사 전문을", "로그인 후 전체 기사"),
        "not_found": ("페이지를 찾을 수 없습니다", "요청하신 페이지를 찾을 수 없습니다", "존재하지 않는 페이지", "페이지가 존재하지 않습니다", "기사가 삭제되었습니다", "삭제된 기사", "해당 기사를 찾을 수 없습니다", "존재하지 않는 기사"),
        "error": ("오류가 발생했습니다", "오류가 발생하였습니다", "문제가 발생했습니다", "서비스를 이용할 수 없습니다", "잠시 후 다시 시도해 주세요", "잠시 후 다시 시도해주세요", "서버 오류"),
        "not_found_title": ("페이지를 찾을 수 없습니다", "페이지를 찾을 수 없음", "존재하지 않는 페이지"),
        "error_title": ("오류", "에러", "오류가 발생했습니다"),
        "correction_label": ("정정", "바로잡습니다", "알려드립니다", "업데이트", "수정", "편집자 주", "편집자주", "정정보도"),
        "correction_sentence": ("이 기사는 수정되었습니다", "기사가 수정되었습니다", "기사를 수정했습니다", "기사를 바로잡습니다", "바로잡습니다", "정정합니다", "정정보도", "이전 버전의 기사", "기사 일부를 수정", "오류를 바로잡", "혼선을 드려 죄송", "기사가 업데이트되었습니다"),
    },
    "th": {
        "bot": ("ฉันไม่ใช่โปรแกรมอัตโนมัติ", "ฉันไม่ใช่หุ่นยนต์", "ยืนยันว่าคุณไม่ใช่หุ่นยนต์", "ยืนยันว่าคุณเป็นมนุษย์", "การตรวจสอบความปลอดภัย", "ปฏิเสธการเข้าถึง", "การเข้าถึงถูกปฏิเสธ", "คำขอมากเกินไป", "กำลังตรวจสอบเบราว์เซอร์ของคุณ"),
        "consent": ("ยอมรับทั้งหมด", "ยอมรับคุกกี้ทั้งหมด", "ยอมรับและดำเนินการต่อ", "ปฏิเสธทั้งหมด"),
        "paywall": ("บทความนี้สำหรับสมาชิก", "สำหรับสมาชิกเท่านั้น", "สมัครสมาชิกเพื่ออ่านต่อ", "สมัครสมาชิกเพื่ออ่านบทความฉบับเต็ม", "อ่านต่อสำหรับสมาชิก"),
        "login": ("เข้าสู่ระบบเพื่ออ่านต่อ", "กรุณาเข้าสู่ระบบเพื่ออ่าน", "ลงทะเบียนเพื่ออ่านต่อ"),
        "not_found": ("ไม่พบหน้าที่คุณต้องการ", "ไม่พบหน้านี้", "ไม่พบหน้าเว็บ", "ไม่พบบทความ", "ไม่พบเนื้อหาที่คุณต้องการ", "หน้านี้ไม่มีอยู่", "บทความนี้ถูกลบแล้ว", "ข่าวนี้ถูกลบแล้ว"),
        "error": ("เกิดข้อผิดพลาด", "ระบบขัดข้อง", "ไม่สามารถให้บริการได้", "กรุณาลองใหม่อีกครั้ง", "โปรดลองอีกครั้งในภายหลัง", "ข้อผิดพลาดของเซิร์ฟเวอร์"),
        "not_found_title": ("ไม่พบหน้า", "ไม่พบหน้าเว็บ", "ไม่พบบทความ"),
        "error_title": ("เกิดข้อผิดพลาด", "ข้อผิดพลาด"),
        "correction_label": ("แก้ไข", "แก้ไขข้อมูล", "ชี้แจง", "อัปเดต", "อัพเดท", "อัพเดต", "หมายเหตุบรรณาธิการ", "หมายเหตุ"),
        "correction_sentence": ("ข่าวนี้ได้รับการแก้ไข", "ข่าวนี้มีการแก้ไข", "บทความนี้ได้รับการแก้ไข", "บทความนี้มีการแก้ไข", "ข่าวนี้ได้รับการอัปเดต", "บทความนี้ได้รับการอัปเดต", "ขออภัยในความผิดพลาด", "ขออภัยในความคลาดเคลื่อน", "ในเวอร์ชันก่อนหน้า"),
    },
}  # fmt: skip


def phrases(family: str, languages: tuple[str, ...] | None = None) -> tuple[str, ...]:
    """A family's phrases in the given languages (all when None), as written, each once, in order."""
    if family not in FAMILIES:
        raise KeyError(family)
    seen: dict[str, None] = {}
    for language, families in LEXICON.items():
        if languages is None or language in languages:
            seen.update(dict.fromkeys(families.get(family, ())))
    return tuple(seen)
